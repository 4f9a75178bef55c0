import Foundation
import Pipeline
import Reporting

/// Draws the EDA figures (PNG) into the step's output folder.
struct EDAFigures {
    let results: EDAResults

    /// Draws every figure; returns the figures drawn, keyed by kind, with captions.
    func draw(in context: StepContext) throws -> [EDAFigure: SectionDocument.Figure] {
        // Filled in once the chart library (Charts + ChartRenderer) is merged.
        [:]
    }
}
