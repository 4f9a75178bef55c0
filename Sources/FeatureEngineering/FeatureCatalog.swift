import Foundation
import SegmentData

/// Dense profile features of train and test, built the same way from the shared vocabularies.
public struct ProfileFeatures: Sendable, Equatable {
    public var train: FeatureSet
    public var test: FeatureSet

    /// Builds the profile features of both tables.
    public init(data: WatchData) {
        let builder = ProfileFeatureBuilder(genres: data.genres)
        train = builder.build(data.train)
        test = builder.build(data.test)
    }

    public init(train: FeatureSet, test: FeatureSet) {
        self.train = train
        self.test = test
    }
}

/// One row of the report's family table: a family's size and what its values look like.
public struct FamilySummary: Sendable, Equatable, Codable {
    public var family: FeatureFamily
    public var columnCount: Int
    /// Up to three column names of the family.
    public var exampleColumns: [String]
    /// The family's most variable column (largest standard deviation) and its statistics.
    public var sampleColumn: String
    public var sampleMean: Double
    public var sampleStandardDeviation: Double
    public var sampleMinimum: Double
    public var sampleMaximum: Double
    /// Share of missing (NaN) values over the family's columns.
    public var missingShare: Double
}

/// Summaries of feature families for the report.
public enum FeatureCatalog {
    /// Per family (in ``FeatureFamily`` order): column count, examples and the statistics of
    /// its most variable column, computed on at most `sampleRowCount` evenly spaced rows.
    public static func describe(_ features: FeatureSet, sampleRowCount: Int = 20_000) -> [FamilySummary] {
        let m = features.matrix
        let step = max(1, m.rowCount / max(1, sampleRowCount))
        let rows = Array(stride(from: 0, to: m.rowCount, by: step))
        var out: [FamilySummary] = []
        for family in FeatureFamily.allCases {
            let cols = features.columns(of: [family])
            guard !cols.isEmpty else { continue }
            var best: (col: Int, mean: Double, sd: Double, lo: Double, hi: Double)? = nil
            var missing = 0
            for c in cols {
                var n = 0, sum = 0.0, sumSq = 0.0, lo = Double.infinity, hi = -Double.infinity
                for r in rows {
                    let v = Double(m.values[r * m.columnCount + c])
                    if v.isNaN { missing += 1; continue }
                    n += 1; sum += v; sumSq += v * v; lo = min(lo, v); hi = max(hi, v)
                }
                let mean = n > 0 ? sum / Double(n) : .nan
                let sd = n > 1 ? max(0, (sumSq - Double(n) * mean * mean) / Double(n - 1)).squareRoot() : 0
                if best == nil || sd > best!.sd { best = (c, mean, sd, n > 0 ? lo : .nan, n > 0 ? hi : .nan) }
            }
            guard let b = best else { continue }
            out.append(FamilySummary(
                family: family, columnCount: cols.count,
                exampleColumns: cols.prefix(3).map { m.columnNames[$0] },
                sampleColumn: m.columnNames[b.col], sampleMean: b.mean, sampleStandardDeviation: b.sd,
                sampleMinimum: b.lo, sampleMaximum: b.hi,
                missingShare: rows.isEmpty ? 0 : Double(missing) / Double(rows.count * cols.count)))
        }
        return out
    }
}
