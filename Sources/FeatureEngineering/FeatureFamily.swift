import Core


/// A group of related feature columns (used for the report's family table and for
/// importance-by-family).
public enum FeatureFamily: String, Sendable, Codable, CaseIterable, Hashable {
    /// Log total seconds and the number of titles, genres, cities, hours and days watched.
    case totals
    /// `log1p(seconds)` watched per genre.
    case genreSeconds
    /// Share of the user's genre seconds per genre (sums to 1).
    case genreShares
    /// Share of the user's seconds per hour of day 0…23 (sums to 1).
    case hourShares
    /// Share of the user's seconds per day of week 1…7 (sums to 1).
    case dayShares
    /// Night (0–5 h), afternoon (12–17 h), evening (18–23 h) and weekend (days 6–7) shares.
    case timeOfDay
    /// Shannon entropies (bits) of the genre, hour and day distributions and concentration
    /// (top title's and top genre's share of seconds).
    case diversity
    /// The number in the user's record id (`train-121672` → 121672).
    case identity
    /// Out-of-fold smoothed positive rates of the titles a user watched.
    case titleTarget
    /// Cluster membership (one-hot) and distances to the cluster centres.
    case cluster
    /// Unsupervised latent tastes fitted on train and test users: SVD scores of the TF-IDF, topic shares.
    case latentTaste

    /// Human name of the family.
    public var title: String {
        switch self {
        case .totals: "Totals and counts"
        case .genreSeconds: "Seconds per genre"
        case .genreShares: "Share per genre"
        case .hourShares: "Share per hour of day"
        case .dayShares: "Share per day of week"
        case .timeOfDay: "Time-of-day and weekend shares"
        case .diversity: "Diversity and concentration"
        case .identity: "Record id number"
        case .titleTarget: "Out-of-fold title target statistics"
        case .cluster: "Cluster membership and distances"
        case .latentTaste: "Latent tastes (SVD and topics)"
        }
    }

    /// One sentence saying how the family's columns are computed.
    public var explanation: String {
        switch self {
        case .totals:
            "log(1 + total seconds) summed over the 24 hours, the number of title, genre and city entries, the number of hours and days with any viewing, and log(1 + seconds per title entry)."
        case .genreSeconds:
            "log(1 + seconds) watched in each genre."
        case .genreShares:
            "Seconds in each genre divided by the user's genre seconds (0 for a user with no genre seconds)."
        case .hourShares:
            "Seconds in each hour 0–23 divided by the user's total seconds."
        case .dayShares:
            "Seconds on each day 1–7 divided by the user's total seconds."
        case .timeOfDay:
            "Share of seconds at night (0–5 h), in the afternoon (12–17 h), in the evening (18–23 h) and at the weekend (days 6 and 7, assuming day 1 is Monday)."
        case .diversity:
            "Shannon entropy in bits of the genre, hour and day distributions of seconds, and the top title's and top genre's share of seconds."
        case .identity:
            "The integer in the record id (train-121672 → 121672); the real data has a weak id effect (pos rate 5.9 % below id ≈ 65,000, 8.4 % above)."
        case .titleTarget:
            "Each title's m-estimate of P(pos) fitted on the other cross-validation folds (on all train users for test rows), combined per user: time-weighted and plain mean, max, min, log-odds lift and counts of strongly positive and negative titles."
        case .cluster:
            "One-hot k-means cluster membership and the Euclidean distance to each centre in the standardised profile space."
        case .latentTaste:
            "Fitted without labels on train and test users together (each part can be switched off in the features settings): the user's shares of the topics of a Kullback–Leibler non-negative factorisation (PLSA) of the user × title matrix, and the user's scores on the leading truncated-SVD components of a TF-IDF matrix (latent semantic analysis)."
        }
    }
}

/// A dense feature matrix whose every column carries its ``FeatureFamily``.
public struct FeatureSet: Sendable, Equatable {
    /// The feature values (rows are users in file order).
    public var matrix: DenseMatrix
    /// The family of each column (`families.count == matrix.columnCount`).
    public var families: [FeatureFamily]

    public init(matrix: DenseMatrix, families: [FeatureFamily]) {
        precondition(families.count == matrix.columnCount,
                     "FeatureSet: \(families.count) families for \(matrix.columnCount) columns")
        self.matrix = matrix
        self.families = families
    }

    /// Column indices of the given families, in column order.
    public func columns(of wanted: Set<FeatureFamily>) -> [Int] {
        families.indices.filter { wanted.contains(families[$0]) }
    }

    /// The index of the column named `name`, if any.
    public func column(named name: String) -> Int? { matrix.columnNames.firstIndex(of: name) }

    /// Only the columns of the given families.
    public func selecting(_ wanted: Set<FeatureFamily>) -> FeatureSet {
        selectingColumns(columns(of: wanted))
    }

    /// Only the given columns, in the given order.
    public func selectingColumns(_ picked: [Int]) -> FeatureSet {
        let width = picked.count
        var out = [Float](repeating: 0, count: matrix.rowCount * width)
        let source = matrix.values
        let sourceWidth = matrix.columnCount
        for r in 0 ..< matrix.rowCount {
            for (j, c) in picked.enumerated() { out[r * width + j] = source[r * sourceWidth + c] }
        }
        return FeatureSet(matrix: DenseMatrix(rowCount: matrix.rowCount, columnCount: width, values: out,
                                              columnNames: picked.map { matrix.columnNames[$0] }),
                          families: picked.map { families[$0] })
    }

    /// The rows in `range`, in order.
    public func selectingRows(_ range: Range<Int>) -> FeatureSet {
        let w = matrix.columnCount
        return FeatureSet(matrix: DenseMatrix(rowCount: range.count, columnCount: w,
                                              values: Array(matrix.values[range.lowerBound * w ..< range.upperBound * w]),
                                              columnNames: matrix.columnNames),
                          families: families)
    }

    /// The columns of `self` followed by those of `other` (same row count).
    public func appending(_ other: FeatureSet) -> FeatureSet {
        FeatureSet(matrix: matrix.appendingColumns(other.matrix), families: families + other.families)
    }
}
