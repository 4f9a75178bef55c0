import Pipeline
import Reporting

/// Builds `reports/index.html` and `reports/report.md` from every step's `section.json` and
/// the manifest. Never recomputes anything; a step that has not run shows as "not run yet".
public struct ReportStep: AnalysisStep {
    public static let name = "report"
    public static let title = "Report"
    public static let version = 2
    public static let readsData = false
    public static let readsAllSections = true

    public init() {}

    public func run(in context: StepContext) throws {
        let sections = context.reportedSteps
        // The EDA section opens with the data overview; the report's summary then keeps the data to one line.
        try ReportPublisher.publish(in: context, steps: sections, subtitle: HotstarReport.subtitle,
                                    dataOverview: WatchDataProfile.stored(in: context.manifest).map(HotstarReport.dataOverview),
                                    dataOverviewStep: EDAStep.name)
    }
}
