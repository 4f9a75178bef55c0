import ChartRenderer
import Charts
import Pipeline
import Reporting

/// A step's charts collected with their captions, then drawn together on both cores.
struct FigureBatch {
    private let context: StepContext
    private var jobs: [ChartJob] = []
    /// The section figures, in the order they were added.
    private(set) var figures: [SectionDocument.Figure] = []

    init(context: StepContext) { self.context = context }

    /// Queues `chart` for `file` in the step's output folder, with its caption.
    mutating func add(_ chart: any ChartFigure, _ file: String, _ caption: String) {
        let target = context.outputFile(file)
        jobs.append(ChartJob(chart, to: target.url))
        figures.append(.init(path: target.reportPath, caption: caption))
    }

    /// Draws every queued chart and returns the figures for the section.
    func render() throws -> [SectionDocument.Figure] {
        try ChartRenderer.writeAll(jobs)
        return figures
    }
}
