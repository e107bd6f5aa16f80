import ArgumentParser

/// The demo edition (2022) on a local suite: `load` once (scripts/run does it),
/// then a month at a time.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load the demo edition and drive a month of it against a running suite (scripts/run).",
        subcommands: [DemoMonth.self, DemoLoad.self],
        defaultSubcommand: DemoMonth.self
    )
}
