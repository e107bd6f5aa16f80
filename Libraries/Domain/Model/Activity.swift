/// What the assistant helps with, as the programme lists it.
public enum ActivityCategory: String, Codable, Sendable, CaseIterable {
    case selfCare = "self-care"
    case mobility
    case errands
    case workOrSchool = "work-or-school"
    case culture
    case sport
    case socialLife = "social-life"
    case healthcare
}

/// An assistant's skill that some services require.
public enum Skill: String, Codable, Sendable, CaseIterable {
    case signLanguage = "sign-language"
    case guidingBlind = "guiding-blind"
    case wheelchair
    case driving
    case childCare = "child-care"
    case firstAid = "first-aid"
}
