import Evaluation
import Foundation
import Pipeline
import Reporting

/// Charts of the clustering step (drawn once the chart library is merged).
extension ClusteringStep {
    func drawElbow(_ result: ClusteringResult, context: StepContext) throws -> SectionDocument.Figure? { nil }
    func drawSilhouette(_ result: ClusteringResult, context: StepContext) throws -> SectionDocument.Figure? { nil }
    func drawSizeAndRate(_ result: ClusteringResult, intervals: [RateInterval], overallRate: Double,
                         context: StepContext) throws -> SectionDocument.Figure? { nil }
    func drawGenreHeatMap(_ result: ClusteringResult, genreNames: [String], context: StepContext) throws -> SectionDocument.Figure? { nil }
    func drawHourHeatMap(_ result: ClusteringResult, context: StepContext) throws -> SectionDocument.Figure? { nil }
    func drawScatter(_ result: ClusteringResult, context: StepContext) throws -> SectionDocument.Figure? { nil }
}
