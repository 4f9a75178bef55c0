import Foundation
import Pipeline
import Reporting
import SegmentData

/// The exploratory data analysis step: data overview, watch-time, genre, time-of-day, title
/// and city profiles by segment, and each simple feature's AUC alone.
public struct EDAStep: AnalysisStep {
    public static let name = "eda"
    public static let title = "Exploratory data analysis"
    public static let version = 2

    /// Minimum labelled viewers for a title, city or genre to enter the lift and rate rankings.
    public var minimumViewers: Int

    /// The step with the default minimum of 50 labelled viewers.
    public init() {
        minimumViewers = 50
    }

    /// The step with a custom minimum of labelled viewers (at least 1).
    public init(minimumViewers: Int) throws {
        guard minimumViewers >= 1 else { throw EDAConfigurationError.minimumViewers(minimumViewers) }
        self.minimumViewers = minimumViewers
    }

    /// The EDA settings hashed into the fingerprint.
    public struct Configuration: Codable, Sendable, Equatable {
        public var minimumViewers: Int
    }

    public var configuration: Configuration { Configuration(minimumViewers: minimumViewers) }

    public func run(in context: StepContext) throws {
        let data = try context.phase("load data") { try context.data() }
        let statistics = context.phase("statistics") { EDAStatistics(data: data) }
        let results = context.phase("findings") { EDAResults(statistics: statistics, minimumViewers: minimumViewers) }
        let tablePaths = try context.phase("tables") { () throws -> [EDATable: String] in
            var paths: [EDATable: String] = [:]
            for (kind, table) in EDASection.csvTables(results) {
                let file = context.outputFile(kind.rawValue)
                try table.write(to: file.url)
                paths[kind] = file.reportPath
            }
            try context.writeJSON(results.statistics.files, to: "overview.json")
            return paths
        }
        let figures = try context.phase("figures") { try EDAFigures(results: results).draw(in: context) }
        try context.phase("section") {
            try context.writeSection(EDASection(results: results, figures: figures, tablePaths: tablePaths).document())
        }
    }
}

/// An invalid EDA step setting.
public enum EDAConfigurationError: Error, CustomStringConvertible, Equatable {
    case minimumViewers(Int)

    public var description: String {
        switch self {
        case .minimumViewers(let value):
            "EDA: minimumViewers must be at least 1, got \(value)"
        }
    }
}
