import Core
import Foundation
import SegmentData

/// A field of the watch history whose entries become TF-IDF tokens.
public enum TokenField: String, Sendable, Codable, CaseIterable {
    case titles, genres, cities, hours, days

    /// Column-name prefix (`title:Naamkarann`, `hour:07`).
    public var prefix: String {
        switch self {
        case .titles: "title"
        case .genres: "genre"
        case .cities: "city"
        case .hours: "hour"
        case .days: "day"
        }
    }
}

/// TF-IDF over users' watch tokens (bag of titles, or all tokens: titles, genres, cities,
/// hours and days), producing a CSR ``SparseMatrix`` with one column per kept token.
///
/// - Term frequency: with ``TermFrequency/logSeconds`` (the default) a token watched for `s`
///   seconds (summed over the user's entries of that token) weighs `1 + ln(1 + s / 60)`:
///   sublinear in minutes, and still 1 for an entry of 0 seconds, so presence always counts.
///   With ``TermFrequency/presence`` every present token weighs 1 (what the public notebooks'
///   text TF-IDF did, since each title appears once per user).
/// - Inverse document frequency (scikit-learn's smooth form): `idf = ln((1 + n) / (1 + df)) + 1`,
///   `n` users and `df` users holding the token in the fitting set. Fitting on train + test is
///   the default: it is unsupervised (no labels), and test users' tokens get sensible weights.
/// - Tokens held by fewer than `minimumDocumentFrequency` users of the fitting set are dropped.
/// - Each row is scaled to unit L2 norm (rows without tokens stay empty).
public struct TfidfVectorizer: Sendable {
    /// How a token's watch seconds become its term frequency.
    public enum TermFrequency: String, Sendable, Codable {
        /// 1 for every token present.
        case presence
        /// `1 + ln(1 + seconds / 60)`.
        case logSeconds
    }

    /// Which users' tokens the document frequencies are counted on.
    public enum IDFFit: String, Sendable, Codable {
        case trainAndTest
        case trainOnly
    }

    /// Settings of the vectorizer.
    public struct Configuration: Sendable, Equatable {
        public var fields: [TokenField]
        public var termFrequency: TermFrequency
        public var idfFit: IDFFit
        public var minimumDocumentFrequency: Int
        public var normalizeRows: Bool

        public init(fields: [TokenField], termFrequency: TermFrequency = .logSeconds, idfFit: IDFFit = .trainAndTest,
                    minimumDocumentFrequency: Int = 2, normalizeRows: Bool = true) {
            self.fields = fields
            self.termFrequency = termFrequency
            self.idfFit = idfFit
            self.minimumDocumentFrequency = minimumDocumentFrequency
            self.normalizeRows = normalizeRows
        }

        /// Bag of titles.
        public static let titles = Configuration(fields: [.titles])
        /// All tokens: titles, genres, cities, hours and days.
        public static let allTokens = Configuration(fields: [.titles, .genres, .cities, .hours, .days])
    }

    /// Errors in the configuration.
    public enum ConfigurationError: Error, CustomStringConvertible, Equatable {
        case noFields
        case repeatedField(TokenField)
        case minimumDocumentFrequency(Int)

        public var description: String {
            switch self {
            case .noFields: "TfidfVectorizer: configuration lists no token fields"
            case .repeatedField(let f): "TfidfVectorizer: field \(f.rawValue) is listed twice"
            case .minimumDocumentFrequency(let m): "TfidfVectorizer: minimumDocumentFrequency must be ≥ 1, got \(m)"
            }
        }
    }

    public let configuration: Configuration
    /// Start of each field's codes in the combined token space (in `configuration.fields` order).
    let fieldOffsets: [Int]
    /// Column of each token of the combined token space, or -1 when dropped.
    let columnOfToken: [Int32]
    /// IDF of each column.
    public let idf: [Double]
    /// Document frequency of each column in the fitting set.
    public let documentFrequency: [Int]
    /// Name of each column (`title:Naamkarann`).
    public let columnNames: [String]
    /// Number of users the IDF was fitted on.
    public let fittedUserCount: Int

    /// Number of kept tokens (columns).
    public var columnCount: Int { columnNames.count }

    /// Counts document frequencies on `data` (train + test, or train only) and keeps the tokens
    /// held by at least `minimumDocumentFrequency` users.
    public init(fitOn data: WatchData, configuration: Configuration) throws {
        guard !configuration.fields.isEmpty else { throw ConfigurationError.noFields }
        for f in configuration.fields where configuration.fields.filter({ $0 == f }).count > 1 {
            throw ConfigurationError.repeatedField(f)
        }
        guard configuration.minimumDocumentFrequency >= 1 else {
            throw ConfigurationError.minimumDocumentFrequency(configuration.minimumDocumentFrequency)
        }
        self.configuration = configuration
        var offsets: [Int] = []
        var names: [String] = []
        for field in configuration.fields {
            offsets.append(names.count)
            names.append(contentsOf: Self.tokenNames(field, data: data).map { "\(field.prefix):\($0)" })
        }
        let tokenCount = names.count
        var df = [Int](repeating: 0, count: tokenCount)
        var tables = [data.train]
        if configuration.idfFit == .trainAndTest { tables.append(data.test) }
        var fitted = 0
        for table in tables {
            let partial = Self.documentFrequencies(table, fields: configuration.fields, offsets: offsets,
                                                   tokenCount: tokenCount)
            for i in 0 ..< tokenCount { df[i] += partial[i] }
            fitted += table.userCount
        }
        var column = [Int32](repeating: -1, count: tokenCount)
        var keptNames: [String] = []
        var keptDF: [Int] = []
        var keptIDF: [Double] = []
        let n = Double(fitted)
        for t in 0 ..< tokenCount where df[t] >= configuration.minimumDocumentFrequency {
            column[t] = Int32(keptNames.count)
            keptNames.append(names[t])
            keptDF.append(df[t])
            keptIDF.append(log((1 + n) / (1 + Double(df[t]))) + 1)
        }
        fieldOffsets = offsets
        columnOfToken = column
        columnNames = keptNames
        documentFrequency = keptDF
        idf = keptIDF
        fittedUserCount = fitted
    }

    /// The TF-IDF rows of every user of `table`, in file order.
    public func transform(_ table: UserTable) -> SparseMatrix {
        let fields = configuration.fields
        let offsets = fieldOffsets
        let columnOfToken = columnOfToken
        let idf = idf
        let tf = configuration.termFrequency
        let normalize = configuration.normalizeRows
        let columnCount = self.columnCount
        struct Part: Sendable { var rowLengths: [Int]; var columns: [Int32]; var values: [Float] }
        let parts = parallelChunks(count: table.userCount) { rows -> Part in
            var part = Part(rowLengths: [], columns: [], values: [])
            part.rowLengths.reserveCapacity(rows.count)
            var seconds = [Double](repeating: 0, count: columnCount)
            var present = [Bool](repeating: false, count: columnCount)
            var touched: [Int32] = []
            for u in rows {
                touched.removeAll(keepingCapacity: true)
                Self.forEachToken(table, user: u, fields: fields, offsets: offsets) { token, s in
                    let c = columnOfToken[token]
                    guard c >= 0 else { return }
                    let ci = Int(c)
                    if !present[ci] { present[ci] = true; touched.append(c) }
                    seconds[ci] += s
                }
                touched.sort()
                var norm = 0.0
                for c in touched {
                    let ci = Int(c)
                    let weight = (tf == .presence ? 1 : 1 + log1p(max(0, seconds[ci]) / 60)) * idf[ci]
                    norm += weight * weight
                    seconds[ci] = weight
                }
                let scale = normalize && norm > 0 ? 1 / norm.squareRoot() : 1
                for c in touched {
                    let ci = Int(c)
                    part.columns.append(c)
                    part.values.append(Float(seconds[ci] * scale))
                    seconds[ci] = 0
                    present[ci] = false
                }
                part.rowLengths.append(touched.count)
            }
            return part
        }
        var rowOffsets = [0]
        rowOffsets.reserveCapacity(table.userCount + 1)
        var columns: [Int32] = []
        var values: [Float] = []
        columns.reserveCapacity(parts.reduce(0) { $0 + $1.columns.count })
        values.reserveCapacity(columns.capacity)
        for part in parts {
            for length in part.rowLengths { rowOffsets.append(rowOffsets[rowOffsets.count - 1] + length) }
            columns.append(contentsOf: part.columns)
            values.append(contentsOf: part.values)
        }
        return SparseMatrix(rowCount: table.userCount, columnCount: columnCount, rowOffsets: rowOffsets,
                            columnIndices: columns, values: values, columnNames: columnNames)
    }

    // MARK: - Tokens

    static func tokenNames(_ field: TokenField, data: WatchData) -> [String] {
        switch field {
        case .titles: data.titles.names
        case .genres: data.genres.names
        case .cities: data.cities.names
        case .hours: (0 ..< 24).map { String(format: "%02d", $0) }
        case .days: (1 ... 7).map(String.init)
        }
    }

    /// Calls `body(token, seconds)` for each entry of `user` (several calls per token possible).
    /// Hours and days are tokens only when they hold seconds.
    @inline(__always)
    static func forEachToken(_ t: UserTable, user u: Int, fields: [TokenField], offsets: [Int],
                             _ body: (Int, Double) -> Void) {
        for (f, field) in fields.enumerated() {
            let base = offsets[f]
            let limit = (f + 1 < offsets.count ? offsets[f + 1] : Int.max) - base
            switch field {
            case .titles, .genres, .cities:
                let lists = field == .titles ? t.titles : field == .genres ? t.genres : t.cities
                for i in lists.range(of: u) {
                    let code = Int(lists.items[i])
                    if code >= 0 && code < limit { body(base + code, Double(lists.seconds[i])) }
                }
            case .hours:
                for h in 0 ..< 24 where t.hourSeconds[u * 24 + h] > 0 { body(base + h, Double(t.hourSeconds[u * 24 + h])) }
            case .days:
                for d in 0 ..< 7 where t.daySeconds[u * 7 + d] > 0 { body(base + d, Double(t.daySeconds[u * 7 + d])) }
            }
        }
    }

    static func documentFrequencies(_ table: UserTable, fields: [TokenField], offsets: [Int], tokenCount: Int) -> [Int] {
        let parts = parallelChunks(count: table.userCount) { rows -> [Int] in
            var df = [Int](repeating: 0, count: tokenCount)
            var lastUser = [Int](repeating: -1, count: tokenCount)
            for u in rows {
                forEachToken(table, user: u, fields: fields, offsets: offsets) { token, _ in
                    if lastUser[token] != u { lastUser[token] = u; df[token] += 1 }
                }
            }
            return df
        }
        var df = [Int](repeating: 0, count: tokenCount)
        for part in parts { for i in 0 ..< tokenCount { df[i] += part[i] } }
        return df
    }
}
