import Pipeline

/// The analysis steps in the order `analyze` runs them: the single list of steps. Adding a step
/// is one step type, one line here and one thin executable `analyses/<name>/main.swift`
/// (`Package.swift` derives the executables from the folders of `analyses/`).
public enum StepRegistry {
    public static let steps: [any AnalysisStep] = [
        EDAStep(),
        ClusteringStep(),
        FeaturesStep(),  // after clustering: appends its cluster features
        ModelsStep(),
        ImportanceStep(),
        PredictStep(),
        ExplainStep(),  // after predict: shows the reasons file predict writes
        ReportStep(),  // always last: reads every other step's section
    ]

    /// One line per step: name, title, and the upstream steps it needs (`analyze --list`).
    public static var listing: String {
        steps.map { step in
            let stepType = type(of: step)
            let needs = stepType.upstreamNames.isEmpty ? "" : " (needs \(stepType.upstreamNames.joined(separator: ", ")))"
            return "\(stepType.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(stepType.title)\(needs)"
        }.joined(separator: "\n")
    }

    /// The `main` of a thin step executable (`swift run models`): reruns step `name` on the
    /// Hotstar data (``DefaultDataSource``), reusing up-to-date upstream outputs.
    public static func runStep(_ name: String) -> Never {
        PipelineCommandLine.runStep(name, from: steps, dataSource: { DefaultDataSource(options: $0) })
    }

    /// A runner over every registered step on the data `options` name.
    public static func runner(options: StepOptions) -> PipelineRunner {
        PipelineRunner(steps: steps, options: options, dataSource: DefaultDataSource(options: options))
    }

    /// The step called `name`, if registered.
    public static func step(named name: String) -> (any AnalysisStep)? {
        steps.first { type(of: $0).name == name }
    }
}
