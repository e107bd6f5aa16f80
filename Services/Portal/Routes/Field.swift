/// One form field as the `field`, `radios` and `select` partials draw it:
/// its label, hint and, after a refused submit, its error and what was typed.
/// Pages name their fields here and place them in their templates with
/// `{{#field.login}}{{> field}}{{/field.login}}`, so every field of the portal
/// is labelled, described and marked invalid the same way.
struct Field: Sendable {
    struct Option: Sendable {
        var value: String
        var label: String
        var selected = false
        /// The id of a radio button: the first one is what the error summary links to.
        var id = ""
    }

    var name: String
    var label: String
    var hint: String?
    var type = "text"
    var autocomplete: String?
    /// Names, codes and passwords: no capitalising, no spell-checking.
    var verbatim = false
    var options: [Option] = []
    var value = ""
    var error: String?
    /// `aria-describedby`: the hint's and the error's ids.
    var describedBy: String?

    init(
        _ name: String, label: String, hint: String? = nil, type: String = "text", autocomplete: String? = nil, verbatim: Bool = false,
        options: [Option] = []
    ) {
        self.name = name
        self.label = label
        self.hint = hint
        self.type = type
        self.autocomplete = autocomplete
        self.verbatim = verbatim
        self.options = options
    }

    /// Where the error summary's link for this field goes: the input, or a radio group's first button.
    var anchor: String { ["radio", "checkbox"].contains(type) ? name + "-" + (options.first?.value ?? "") : name }

    /// The field as refused: the typed value (never a password's) and its error.
    func filled(values: [String: String], errors: [String: String]) -> Field {
        var field = self
        if type != "password" { field.value = values[name] ?? "" }
        field.error = errors[name]
        field.options = options.map { option in
            var option = option
            // A checkbox is its own field, `<name>-<value>` = "tak"; radios and selects share one name.
            option.selected = type == "checkbox" ? values[name + "-" + option.value] == "tak" : values[name] == option.value
            option.id = name + "-" + option.value
            return option
        }
        let ids = [hint == nil ? nil : name + "-hint", field.error == nil ? nil : name + "-error"].compactMap { $0 }
        field.describedBy = ids.isEmpty ? nil : ids.joined(separator: " ")
        return field
    }
}
