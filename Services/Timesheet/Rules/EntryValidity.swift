import Domain

/// The contract's own rules for an entry (`TimesheetEntrySubmitted.validate()`),
/// checked by the handler rather than the consumer loop, so that a readable but
/// invalid entry is answered `invalid-entry` instead of being parked.
enum EntryValidity {
    /// nil when the entry keeps the contract; otherwise the message for the NGO.
    static func problem(_ entry: TimesheetEntrySubmitted) -> String? {
        do {
            try entry.validate()
            return nil
        } catch {
            return "The field '\(error.field)' \(error.message). Fix it and send the entry again with a higher sequence."
        }
    }
}
