import Domain
import Foundation
import Testing

@testable import Portal

@Suite("The portal's rules for passwords, codes and paths")
struct RulesTests {
    let policy = PasswordPolicy(commonPasswords: "# comment\nqwertyuiop123\nhaslo12345678\n")

    @Test(
        arguments: [
            ("krótkie", "co najmniej 12"),
            ("QwertyUIOP123", "zbyt popularne"),
            ("aaaaaaaaaaaaaa", "zbyt popularne"),
            ("abababababab", "zbyt popularne"),
            ("ola.nowak-zielony-rower", "nazwy użytkownika"),
            (String(repeating: "x1y2", count: 33), "najwyżej 128"),
        ])
    func aWeakPasswordIsRefusedWithItsReason(password: String, reason: String) {
        let refusal = policy.refusal(of: password, login: "ola.nowak")
        #expect(refusal?.contains(reason) == true, "\(refusal ?? "accepted")")
    }

    @Test func aLongUnusualPasswordIsAccepted() {
        #expect(policy.refusal(of: "zielony rower pod lipą", login: "ola.nowak") == nil)
        #expect(policy.refusal(of: "123456789012", login: "x") == nil, "only the list and the rules refuse, not a guess of ours")
    }

    @Test func aCodeIsTwelveUnambiguousCharactersAndReadsBackHoweverItIsTyped() {
        for _ in 0..<200 {
            let code = ActivationCode.generate()
            #expect(code.count == 14 && code.split(separator: "-").map(\.count) == [4, 4, 4])
            #expect(!code.contains(where: { "01OIL".contains($0) }))
            let typed = code.lowercased().replacingOccurrences(of: "-", with: " ")
            #expect(ActivationCode.normalised(typed) == code.replacingOccurrences(of: "-", with: ""))
        }
        #expect(ActivationCode.normalised("ABCD-EFGH-JK2") == nil)
        #expect(ActivationCode.normalised("ABCD-EFGH-JK20") == nil, "0 is not in the alphabet")
        #expect(ActivationCode.hash("ABCDEFGHJK23") != ActivationCode.hash("ABCDEFGHJK24"))
    }

    @Test(
        arguments: [
            ("/start", "/start"), ("/kody-aktywacyjne", "/kody-aktywacyjne"), ("//evil.example", "/start"), ("https://evil.example", "/start"),
            ("/\\evil.example", "/start"), ("start", "/start"), ("", "/start"), ("/a?b=c", "/start"),
        ])
    func afterSignInOnlyALocalPathIsFollowed(given: String, followed: String) {
        #expect(LocalPath.checked(given) == followed)
    }

    @Test func aPasswordHashVerifiesItsPasswordAndNoOther() async throws {
        let hasher = PasswordHasher(parameters: .init(log2N: 10, r: 8, p: 1))
        let stored = try await hasher.hash("zielony rower pod lipą")
        #expect(stored.hasPrefix("scrypt$10$8$1$"))
        #expect(await hasher.verify("zielony rower pod lipą", against: stored))
        #expect(!(await hasher.verify("zielony rower pod lipa", against: stored)))
        #expect(!(await hasher.verify("zielony rower pod lipą", against: "scrypt$10$8$1$bad")))
        #expect(try await hasher.hash("zielony rower pod lipą") != stored, "every hash has its own salt")
    }

    @Test func theStandardParametersAreOWASPs() {
        #expect(PasswordHasher.Parameters.standard == .init(log2N: 17, r: 8, p: 1))
    }

    @Test(
        arguments: [
            ("10.05.2022", "2022-05-10"), ("10-5-2022", "2022-05-10"), ("2022-05-10", "2022-05-10"), (" 1.12.2022 ", "2022-12-01"),
            ("31.02.2022", nil), ("10.05", nil), ("jutro", nil),
        ] as [(String, String?)])
    func aDayIsReadAsPeopleWriteIt(typed: String, day: String?) {
        #expect(PolishInput.day(typed.trimmingCharacters(in: .whitespaces)) == day)
    }

    @Test(
        arguments: [
            ("9:00", "09:00"), ("09.30", "09:30"), ("930", "09:30"), ("1145", "11:45"), ("7", "07:00"), ("24:00", "24:00"), ("24:30", nil),
            ("12:60", nil), ("rano", nil),
        ] as [(String, String?)])
    func aTimeIsReadAsPeopleWriteIt(typed: String, time: String?) {
        #expect(PolishInput.time(typed) == time)
    }

    @Test(
        arguments: [
            ("1234.50", "1\u{00A0}234,50"), ("2167704.00", "2\u{00A0}167\u{00A0}704,00"), ("0.00", "0,00"), ("-12.25", "−12,25"),
            ("999", "999"), ("1000", "1\u{00A0}000"),
        ])
    func aDecimalIsWrittenTheWayPolishWritesIt(sent: String, shown: String) {
        #expect(PolishText.decimal(sent) == shown)
    }

    @Test func aBarChartScalesBarsToTheLargestAndProgressToItsWhole() {
        let chart = BarChart(
            id: "h", title: "Godziny",
            figures: [
                .init(label: "maj", value: 50, text: "50,00", whole: nil), .init(label: "czerwiec", value: 200, text: "200,00", whole: nil),
                .init(label: "budżet", value: 25, text: "25 %", whole: 100), .init(label: "ponad plan", value: 130, text: "130 %", whole: 100),
            ])
        #expect(chart.bars.map(\.width) == [175, 700, 175, 700])
        #expect(chart.bars.map(\.barY) == [50, 150, 250, 350] && chart.height == 400)
        let long = BarChart(
            id: "g", title: "Grupy",
            figures: [.init(label: "Dzieci z orzeczeniem o niepełnosprawności, niepełnosprawność sprzężona", value: 1, text: "1", whole: 2)])
        #expect(long.bars[0].lines.map(\.text) == ["Dzieci z orzeczeniem o niepełnosprawności,", "niepełnosprawność sprzężona"])
        #expect(long.bars[0].barY == 86 && long.height == 136, "a label on two lines moves its bar down")
        #expect(chart.description == "Godziny: maj – 50,00; czerwiec – 200,00; budżet – 25 %; ponad plan – 130 %.")
        #expect(BarChart(id: "z", title: "Zero", figures: [.init(label: "maj", value: 0, text: "0", whole: nil)]).bars[0].width == 0)
    }

    @Test func anAssistantsWeekPlacesVisitsByDayAndHourAndMarksOnlyVisitsThatOverlap() throws {
        let monday = try #require(CalendarDate("2022-05-02"))
        let visit = { (id: String, day: String, start: String, end: String) in
            WeekGrid.Visit(orderID: id, date: CalendarDate(day)!, start: start, end: end, kind: .assigned)
        }
        let visits = WeekGrid.markingClashes([
            visit("a", "2022-05-04", "16:00", "17:30"), visit("b", "2022-05-04", "17:00", "18:00"),
            visit("c", "2022-05-04", "18:00", "19:00"), visit("d", "2022-05-05", "16:00", "17:30"),
            visit("e", "2022-05-08", "23:00", "01:00"),
        ])
        #expect(visits.map(\.clashes.count) == [1, 1, 0, 0, 0], "touching visits and another day's do not clash")
        #expect(visits[0].clashes == ["4 maja 2022 r. 17:00–18:00"])
        let grid = WeekGrid(
            id: "t", monday: monday, availability: [.init(weekday: 3, from: "08:00", to: "16:00")],
            visits: visits + [WeekGrid.Visit(orderID: "x", date: CalendarDate("2022-05-09")!, start: "10:00", end: "11:00", kind: .assigned)])
        #expect(grid.hours.first?.label == "6:00" && grid.hours.last?.label == "24:00", "a visit past midnight stretches the day to its end")
        #expect(grid.blocks.count == 5, "a visit outside the week is not drawn")
        // Wednesday is the third column; 16:00 is ten hours of 40 below the 50 of the day names.
        #expect(grid.blocks[0].x == 80 + 2 * 131 + 6 && grid.blocks[0].y == 50 + 10 * 40 && grid.blocks[0].height == 60)
        #expect(grid.blocks.map(\.fill) == ["#b00020", "#b00020", "#0b4f8a", "#0b4f8a", "#0b4f8a"])
        #expect(grid.blocks[4].y + grid.blocks[4].height == 50 + 18 * 40, "Sunday's 23:00–01:00 is drawn to midnight")
        #expect(grid.bands.count == 1 && grid.bands[0].y == 50 + 2 * 40 && grid.bands[0].height == 8 * 40)
        #expect(grid.description.contains("środa 08:00–16:00") && grid.description.contains("(nakłada się z inną wizytą)"))
    }

    @Test func aMultipartFormGivesItsFieldsAndFilesAndAnEmptyFileInputIsNoFile() throws {
        let boundary = try #require(MultipartForm.boundary(of: "multipart/form-data; boundary=----WebKitFormBoundaryx7"))
        #expect(boundary == "----WebKitFormBoundaryx7")
        #expect(MultipartForm.boundary(of: "application/x-www-form-urlencoded") == nil)
        let pdf = Array("%PDF-1.7\r\n--not a boundary\r\n".utf8) + [0, 255, 13, 10]
        var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"imie\"\r\n\r\nZofia Łęcka\r\n".utf8)
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"skan-karty\"; filename=\"karta.pdf\"\r\n".utf8)
        body += Array("Content-Type: application/pdf\r\n\r\n".utf8) + pdf + Array("\r\n".utf8)
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"skan-opiekuna\"; filename=\"\"\r\n".utf8)
        body += Array("Content-Type: application/octet-stream\r\n\r\n\r\n--\(boundary)--\r\n".utf8)
        let form = try #require(MultipartForm(body, boundary: boundary))
        #expect(form.fields == ["imie": "Zofia Łęcka"])
        #expect(form.files == ["skan-karty": UploadedFile(fileName: "karta.pdf", bytes: pdf)], "the bytes as sent, CRLFs and all")
        #expect(form.files["skan-karty"]?.kind == .pdf)
        #expect(UploadedFile(fileName: "a.png", bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]).kind == .png)
        #expect(UploadedFile(fileName: "a.pdf", bytes: Array("<html>".utf8)).kind == nil, "the name does not make a file a PDF")
        #expect(MultipartForm(Array("--\(boundary)\r\nno headers end".utf8), boundary: boundary) == nil)
    }

    @Test func intakesFieldPathsComeBackOnTheFormsFieldsInPolish() {
        let pesel = ApplicationRoutes.fieldError(.init(field: "person.pesel", message: "bad check digit"))
        #expect(pesel.field == "pesel" && pesel.message.contains("PESEL"))
        #expect(ApplicationRoutes.fieldError(.init(field: "person.contact.phone", message: "x")).field == "telefon")
        #expect(ApplicationRoutes.fieldError(.init(field: "documents", message: "x")).field == "skan-postanowienia")
        #expect(ApplicationRoutes.fieldError(.init(field: "guardian", message: "x")).field == "opiekun-imie")
    }

    @Test func theHoursChartDrawsEachFigureToScaleAndSaysItInWords() {
        let chart = HoursChart(grantedMinutes: 600, deliveredMinutes: 150, bookedMinutes: 90, leftMinutes: 360)
        #expect(chart.segments.map(\.width) == [250, 150, 600])
        #expect(chart.segments.map(\.x) == [0, 250, 400])
        #expect(chart.description == "Z 10 godz. przyznanych wykorzystano 2 godz. 30 min, zarezerwowano 1 godz. 30 min, zostało 6 godz.")
        let overdrawn = HoursChart(grantedMinutes: 60, deliveredMinutes: 90, bookedMinutes: 0, leftMinutes: -30)
        #expect(overdrawn.segments.map(\.width) == [1000], "more delivered than granted still fits the bar")
        #expect(overdrawn.description.hasSuffix("wykorzystano 1 godz. 30 min, zarezerwowano 0 godz., zostało −30 min."))
    }
}
