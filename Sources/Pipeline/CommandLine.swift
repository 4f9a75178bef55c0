import ArgumentParser
import Foundation

/// Options of `analyze` that choose which steps run.
public struct RunOptions: ParsableArguments, Sendable {
    @Flag(help: "Rerun the selected steps even when their outputs are up to date.")
    public var force: Bool = false

    @Option(name: .long, help: ArgumentHelp("Run only this step (repeatable); missing or stale upstream steps run first, and the report is refreshed.", valueName: "step"))
    public var only: [String] = []

    @Option(name: .long, help: ArgumentHelp("Run this step and every step after it.", valueName: "step"))
    public var from: String?

    public init() {}

    public mutating func validate() throws {
        if !only.isEmpty && from != nil { throw ValidationError("use --only or --from, not both") }
    }

    /// The request these options describe; the report is always brought up to date afterwards.
    public var request: RunRequest {
        if let from { return RunRequest(selection: .from(from), force: force, refreshReport: true) }
        if !only.isEmpty { return RunRequest(selection: .only(only), force: force, refreshReport: true) }
        return RunRequest(selection: .all, force: force, refreshReport: true)
    }
}

/// Options of a single-step executable (`swift run eda`).
public struct SingleStepArguments: ParsableCommand, Sendable {
    /// Named after the executable (`eda`, `models`, …).
    public static var configuration: CommandConfiguration {
        let name = CommandLine.arguments.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "step"
        return CommandConfiguration(
            commandName: name,
            abstract: "Rerun the '\(name)' analysis step, then refresh reports/index.html and reports/report.md.",
            discussion: "The step always runs (use `analyze` to skip up-to-date steps). Upstream steps whose "
                + "outputs are up to date are reused; missing or stale ones run first.")
    }

    @OptionGroup public var options: StepOptions

    @Flag(help: "Do not rebuild reports/index.html and reports/report.md afterwards.")
    public var noReport: Bool = false

    public init() {}
}

/// The shared `main` of the step executables and of `analyze`.
public enum PipelineCommandLine {
    /// `swift run <step> [options]`: reruns one step (always: code changes do not change
    /// fingerprints), reusing up-to-date upstream outputs and running stale or missing ones
    /// first, then refreshes the report.
    public static func runStep(_ name: String, from steps: [any AnalysisStep],
                               dataSource: (StepOptions) -> any DataSource) -> Never {
        let arguments = SingleStepArguments.parseOrExit()
        guard steps.contains(where: { type(of: $0).name == name }) else {
            fail("the '\(name)' step is not available in this build (available: \(steps.map { type(of: $0).name }.joined(separator: ", ")))")
        }
        let runner = PipelineRunner(steps: steps, options: arguments.options, dataSource: dataSource(arguments.options))
        let request = RunRequest(selection: .only([name]), force: true, refreshReport: !arguments.noReport)
        run { try runner.run(request) }
        exit(0)
    }

    /// Runs `body`, printing any error on one line and exiting with status 1.
    public static func run(_ body: () throws -> Void) {
        do {
            try body()
        } catch {
            fail(String(describing: error))
        }
    }

    /// Prints `error: message` on stderr and exits with status 1.
    public static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        exit(1)
    }
}
