import Pipeline

/// The analysis steps in the order `analyze` runs them. Adding a step is one line here.
public enum StepRegistry {
    public static let steps: [any AnalysisStep] = [
        EDAStep(),
        ClusteringStep(),
        FeaturesStep(),  // after clustering: appends its cluster features
        ModelsStep(),
        ImportanceStep(),
        PredictStep(),
        ReportStep(),  // always last: reads every other step's section
    ]

    /// The step called `name`, if registered.
    public static func step(named name: String) -> (any AnalysisStep)? {
        steps.first { type(of: $0).name == name }
    }
}
