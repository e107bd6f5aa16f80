import Foundation
import PackagePlugin

/// Compiles a target's `Migrations/*.sql` and its `*.yaml` documents into it
/// (`EmbeddedFiles`, written by Tools/EmbedFiles), so the executable carries them
/// without a resource bundle: a bundle's accessor would link Foundation, and with it
/// ICU, into every service.
@main
struct EmbedFilesPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let inputs = files(in: target.directoryURL.appending(path: "Migrations"), ending: "sql") + files(in: target.directoryURL, ending: "yaml")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(target.name)'s migrations and documents", executable: try context.tool(named: "EmbedFilesTool").url,
                arguments: [output.path] + inputs.map(\.path), inputFiles: inputs, outputFiles: [output])
        ]
    }

    private func files(in directory: URL, ending suffix: String) -> [URL] {
        let found = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
        return found.filter { $0.pathExtension == suffix }.sorted { $0.path < $1.path }
    }
}
