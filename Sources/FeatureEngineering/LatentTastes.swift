import Core
import Foundation
import Learning
import SegmentData

/// Settings of the ``LatentTastes`` features (stored in the features step's configuration).
public struct LatentTasteSettings: Sendable, Codable, Equatable {
    /// Which TF-IDF matrix the truncated SVD factorises.
    public enum SVDInput: String, Sendable, Codable, CaseIterable {
        /// The bag-of-titles TF-IDF.
        case titles
        /// The all-tokens TF-IDF (titles, genres, cities, hours, days).
        case tokens
    }

    /// SVD components kept (0: no SVD columns).
    public var svdComponentCount: Int
    public var svdInput: SVDInput
    /// Randomized-SVD power iterations (Halko et al.; more is more accurate and slower).
    public var svdPowerIterationCount: Int
    /// Topics of the KL non-negative factorisation of the user × title matrix (0: no topic columns).
    public var topicCount: Int
    public var topicIterationCount: Int
    /// Term frequency of a title in the topic model's user × title matrix.
    public var topicTermFrequency: TfidfVectorizer.TermFrequency

    public init(svdComponentCount: Int = 0, svdInput: SVDInput = .titles, svdPowerIterationCount: Int = 3,
                topicCount: Int = 32, topicIterationCount: Int = 40, topicTermFrequency: TfidfVectorizer.TermFrequency = .presence) {
        self.svdComponentCount = svdComponentCount
        self.svdInput = svdInput
        self.svdPowerIterationCount = svdPowerIterationCount
        self.topicCount = topicCount
        self.topicIterationCount = topicIterationCount
        self.topicTermFrequency = topicTermFrequency
    }

    /// Throws an error naming the first bad value.
    public func validate() throws {
        guard svdComponentCount >= 0 else { throw LatentTastesError.badSetting("svdComponentCount \(svdComponentCount) must be ≥ 0") }
        guard svdPowerIterationCount >= 0 else {
            throw LatentTastesError.badSetting("svdPowerIterationCount \(svdPowerIterationCount) must be ≥ 0")
        }
        guard topicCount >= 0 else { throw LatentTastesError.badSetting("topicCount \(topicCount) must be ≥ 0") }
        guard topicIterationCount >= 1 else {
            throw LatentTastesError.badSetting("topicIterationCount \(topicIterationCount) must be ≥ 1")
        }
    }
}

/// Errors of ``LatentTastes``.
public enum LatentTastesError: Error, Equatable, CustomStringConvertible {
    case badSetting(String)
    case shapeMismatch(String)

    public var description: String {
        switch self {
        case .badSetting(let text): "latent tastes settings: \(text)"
        case .shapeMismatch(let text): "latent tastes: \(text)"
        }
    }
}

/// Unsupervised "latent taste" features of every user, fitted on train and test users together (no
/// labels): the truncated-SVD scores of a TF-IDF matrix (latent semantic analysis) and each user's
/// topic shares from a KL non-negative factorisation (``TopicNMF``, i.e. PLSA) of the user × title matrix.
/// Columns `latent_svd:<k>` then `latent_topic:<k>` (1-based), all of family ``FeatureFamily/latentTaste``.
public struct LatentTastes: Sendable {
    public var train: FeatureSet
    public var test: FeatureSet

    /// Fits the SVD on `tfidf` (train rows then test rows, same columns) and the topics on `data`'s titles.
    public init(data: WatchData, tfidf: (train: SparseMatrix, test: SparseMatrix), settings: LatentTasteSettings,
                seed: UInt64) throws {
        try settings.validate()
        guard tfidf.train.rowCount == data.train.userCount, tfidf.test.rowCount == data.test.userCount,
              tfidf.train.columnCount == tfidf.test.columnCount else {
            throw LatentTastesError.shapeMismatch(
                "TF-IDF has \(tfidf.train.rowCount) + \(tfidf.test.rowCount) rows × \(tfidf.train.columnCount)/\(tfidf.test.columnCount) "
                    + "columns for \(data.train.userCount) + \(data.test.userCount) users")
        }
        let trainCount = data.train.userCount, userCount = trainCount + data.test.userCount
        // A data set smaller than the settings gets as many components as its shape allows.
        let svdCount = min(settings.svdComponentCount, userCount, tfidf.train.columnCount)
        let topicCount = min(settings.topicCount, userCount, data.titles.count)
        var blocks: [DenseMatrix] = []
        if svdCount > 0 {
            var svd = try TruncatedSVD(componentCount: svdCount,
                                       powerIterationCount: settings.svdPowerIterationCount, seed: seed)
            blocks.append(renamed(try svd.fitTransform(stackedRows(tfidf.train, tfidf.test)), prefix: "latent_svd"))
        }
        if topicCount > 0 {
            let counts = stackedRows(Self.titleMatrix(data.train, titleCount: data.titles.count, tf: settings.topicTermFrequency),
                                     Self.titleMatrix(data.test, titleCount: data.titles.count, tf: settings.topicTermFrequency))
            var nmf = try TopicNMF(topicCount: topicCount, iterationCount: settings.topicIterationCount,
                                   tolerance: 0, seed: seed &+ 1)
            blocks.append(renamed(TopicNMF.rowShares(try nmf.fitTransform(counts)), prefix: "latent_topic"))
        }
        let all = blocks.dropFirst().reduce(blocks.first ?? DenseMatrix(rowCount: userCount, columnCount: 0)) {
            $0.appendingColumns($1)
        }
        let features = FeatureSet(matrix: all, families: [FeatureFamily](repeating: .latentTaste, count: all.columnCount))
        train = features.selectingRows(0 ..< trainCount)
        test = features.selectingRows(trainCount ..< all.rowCount)
    }

    /// Users × titles (every title of the vocabulary), `1` or `1 + ln(1 + seconds / 60)` per title held
    /// (seconds summed over a user's entries of the title), unnormalised.
    static func titleMatrix(_ table: UserTable, titleCount: Int, tf: TfidfVectorizer.TermFrequency) -> SparseMatrix {
        var offsets = [0], columns: [Int32] = [], values: [Float] = []
        offsets.reserveCapacity(table.userCount + 1)
        var seconds = [Double](repeating: -1, count: titleCount), touched: [Int32] = []
        for user in 0 ..< table.userCount {
            touched.removeAll(keepingCapacity: true)
            for entry in table.titles.range(of: user) {
                let title = table.titles.items[entry]
                guard title >= 0, Int(title) < titleCount else { continue }
                if seconds[Int(title)] < 0 { seconds[Int(title)] = 0; touched.append(title) }
                seconds[Int(title)] += Double(max(0, table.titles.seconds[entry]))
            }
            touched.sort()
            for title in touched {
                columns.append(title)
                values.append(tf == .presence ? 1 : Float(1 + log1p(seconds[Int(title)] / 60)))
                seconds[Int(title)] = -1
            }
            offsets.append(columns.count)
        }
        return SparseMatrix(rowCount: table.userCount, columnCount: titleCount, rowOffsets: offsets,
                            columnIndices: columns, values: values)
    }
}

/// `top` rows followed by `bottom` rows (same column count).
func stackedRows(_ top: SparseMatrix, _ bottom: SparseMatrix) -> SparseMatrix {
    let shift = top.rowOffsets[top.rowCount]
    return SparseMatrix(rowCount: top.rowCount + bottom.rowCount, columnCount: top.columnCount,
                        rowOffsets: top.rowOffsets + bottom.rowOffsets.dropFirst().map { $0 + shift },
                        columnIndices: top.columnIndices + bottom.columnIndices, values: top.values + bottom.values,
                        columnNames: top.columnNames)
}

private func renamed(_ matrix: DenseMatrix, prefix: String) -> DenseMatrix {
    var out = matrix
    out.columnNames = (1 ... max(1, matrix.columnCount)).prefix(matrix.columnCount).map { "\(prefix):\($0)" }
    return out
}
