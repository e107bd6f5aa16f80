import Foundation

/// What a new password must be (NIST SP 800-63B, as OWASP summarises it): at
/// least 12 characters, at most 128, not a well-known one, not the person's
/// sign-in name. No rules about character classes: they make passwords
/// harder to remember, not to guess.
struct PasswordPolicy: Sendable {
    static let minimumLength = 12
    static let maximumLength = 128

    private let common: Set<String>

    init(commonPasswords text: String) {
        common = Set(
            text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter {
                !$0.isEmpty && !$0.hasPrefix("#")
            })
    }

    /// Why `password` may not be used, in Polish, or nil when it may.
    func refusal(of password: String, login: String) -> String? {
        let lowered = password.lowercased()
        if password.count < Self.minimumLength { return "Hasło musi mieć co najmniej \(Self.minimumLength) znaków." }
        if password.count > Self.maximumLength { return "Hasło może mieć najwyżej \(Self.maximumLength) znaków." }
        if common.contains(lowered) || Set(lowered).count <= 2 {
            return "To hasło jest zbyt popularne i łatwe do odgadnięcia. Wybierz inne, na przykład kilka niezwiązanych słów."
        }
        if !login.isEmpty && lowered.contains(login.lowercased()) { return "Hasło nie może zawierać nazwy użytkownika." }
        return nil
    }
}
