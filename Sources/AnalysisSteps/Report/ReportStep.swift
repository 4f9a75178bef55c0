import Pipeline
import Reporting

/// Builds `reports/index.html` and `reports/report.md` from every step's `section.json` and
/// the manifest. Never recomputes anything; a step that has not run shows as "not run yet".
public struct ReportStep: AnalysisStep {
    public static let name = "report"
    public static let title = "Report"
    public static let version = 1
    public static let upstream: [String] = []
    public static let readsData = false
    public static let readsAllSections = true

    public init() {}

    public func run(in context: StepContext) throws {
        let sections = StepRegistry.steps
            .filter { !type(of: $0).readsAllSections }
            .map { ReportedStep(name: type(of: $0).name, title: type(of: $0).title) }
        try ReportPublisher.publish(in: context, steps: sections)
    }
}
