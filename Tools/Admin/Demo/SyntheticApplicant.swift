import Domain

/// An application form for a person who does not exist: a made-up name, a
/// street of the demo, a PESEL with a valid check digit built from the birth
/// date and a serial no real register would hand out in this pattern. The
/// same `serial` always gives the same person, so intake recognises a rerun as
/// a duplicate instead of a second applicant.
struct SyntheticApplicant: Encodable, Sendable {
    enum Profile: Sendable, CaseIterable {
        case child, significantMultiple, significant, moderateMultiple, moderate
        /// Refused by eligibility: a mild degree, or a child's certificate with one indication.
        case mild, childWithOneIndication
    }

    var edition: String
    var person: Person
    var legallyIncapacitated = false
    var certificate: Certificate
    var declaredNeeds: Needs
    var documents: [Document] = [
        Document(kind: "certificate-copy", reference: "DEMO/orzeczenie"),
        Document(kind: "application-form", reference: "DEMO/karta-zgloszeniowa"),
    ]

    struct Person: Encodable, Sendable {
        var firstName: String
        var lastName: String
        var pesel: String
        var birthDate: String
        var address: Address
        var contact: Contact
    }
    struct Address: Encodable, Sendable {
        var street: String
        var postalCode: String
        var city: String
    }
    struct Contact: Encodable, Sendable { var email: String }
    struct Certificate: Encodable, Sendable {
        var kind: String
        var degree: String?
        var indications: Indications?
        var multipleDisabilities: Bool
        var issuedOn: String
        var permanent = true
    }
    struct Indications: Encodable, Sendable {
        var constantCare: Bool
        var carerParticipation: Bool
    }
    struct Needs: Encodable, Sendable {
        var activities: [String]
        var hoursPerMonth: Int
    }
    struct Document: Encodable, Sendable {
        var kind: String
        var reference: String
    }

    init(serial: Int, profile: Profile, hoursPerMonth: Int, edition: String) {
        let isChild = profile == .child || profile == .childWithOneIndication
        let born = CalendarDate(year: isChild ? 2010 + serial % 5 : 1950 + serial % 45, month: 1 + serial % 12, day: 1 + serial % 28)!
        let name = Self.letters(serial)
        self.edition = edition
        person = Person(
            firstName: "Demo", lastName: "Uczestnik-\(name)", pesel: Self.pesel(born: born, serial: serial), birthDate: born.description,
            address: Address(street: "ul. Przykładowa \(1 + serial % 90)", postalCode: "50-001", city: "Wrocław"),
            contact: Contact(email: "uczestnik-\(name.lowercased())@demo.invalid")
        )
        let degree: String? =
            switch profile {
            case .child, .childWithOneIndication: nil
            case .significantMultiple, .significant: "significant"
            case .moderateMultiple, .moderate: "moderate"
            case .mild: "mild"
            }
        certificate = Certificate(
            kind: isChild ? "child-disability" : "degree", degree: degree,
            indications: isChild ? Indications(constantCare: true, carerParticipation: profile == .child) : nil,
            multipleDisabilities: profile == .significantMultiple || profile == .moderateMultiple,
            issuedOn: "2020-0\(1 + serial % 9)-15"
        )
        let activities = ["self-care", "mobility", "errands", "culture", "healthcare", "social-life"]
        declaredNeeds = Needs(activities: [activities[serial % 6], activities[(serial + 2) % 6]], hoursPerMonth: hoursPerMonth)
    }

    /// PESEL: YYMMDD (month + 20 after 2000), a four-digit serial, the check digit.
    static func pesel(born: CalendarDate, serial: Int) -> String {
        let month = born.month + (born.year >= 2000 ? 20 : 0)
        let body = String(format: "%02d%02d%02d%04d", born.year % 100, month, born.day, 9000 + serial % 1000)
        let weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]
        let sum = zip(body.compactMap(\.wholeNumberValue), weights).reduce(0) { $0 + $1.0 * $1.1 }
        return body + String((10 - sum % 10) % 10)
    }

    /// A name part from the serial, letters only: 0 → "Aa", 27 → "Bb".
    static func letters(_ serial: Int) -> String {
        let upper = Array("ABCDEFGHIJKLMNOPRSTUWZ")
        let lower = Array("abcdefghijklmnoprstuwz")
        return String(upper[(serial / lower.count) % upper.count]) + String(lower[serial % lower.count])
    }
}
