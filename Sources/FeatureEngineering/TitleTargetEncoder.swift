import Core
import Foundation
import SegmentData

/// Out-of-fold target statistics of the titles a user watched.
///
/// Each title's positive rate is smoothed towards the prior with an m-estimate
/// (Cestnik 1990; the Bayesian mean with a Beta prior of strength `m`):
/// `rate(t) = (pos(t) + m · prior) / (users(t) + m)`, where `users(t)` and `pos(t)` count the
/// distinct fitting users holding title `t` and the positive ones, and `prior` is the fitting
/// users' positive rate. The rates are fitted **out of fold**: a train row in fold `f` sees rates
/// fitted on the train rows of the other folds only, and a test row sees rates fitted on all
/// train rows, so no user's own label ever reaches its own features. Pass the same fold
/// assignment the cross-validation uses, so the validation rows of a fold were never used to
/// fit the rates their features are made of.
///
/// Per user (titles with no fitting user get the prior and count as unseen):
/// seconds-weighted mean rate, plain mean, max, min, mean log-lift `ln(rate / prior)`,
/// the number of strongly positive (`rate ≥ lift × prior`) and strongly negative
/// (`rate ≤ prior / lift`) titles among those held by at least `minimumSupport` fitting users,
/// and the number of unseen titles. A user without titles gets the prior, log-lift 0 and counts 0.
public struct TitleTargetEncoder: Sendable {
    /// Settings of the encoder.
    public struct Settings: Sendable, Equatable {
        /// Prior strength `m` of the m-estimate (pseudo-users at the prior rate).
        public var smoothing: Double
        /// A title is strongly positive when `rate ≥ strongLift × prior`, strongly negative when `rate ≤ prior / strongLift`.
        public var strongLift: Double
        /// Fitting users a title needs to count as strongly positive or negative.
        public var minimumSupport: Int
        /// The watch-list field encoded (titles by default; genres or cities also work).
        public var field: TokenField

        public init(smoothing: Double = 20, strongLift: Double = 2, minimumSupport: Int = 5, field: TokenField = .titles) {
            self.smoothing = smoothing
            self.strongLift = strongLift
            self.minimumSupport = minimumSupport
            self.field = field
        }
    }

    /// Bad arguments.
    public enum EncoderError: Error, CustomStringConvertible, Equatable {
        case unlabelledTrain
        case foldCountMismatch(foldOfCount: Int, trainUserCount: Int)
        case badFold(row: Int, fold: Int)
        case emptyFold(Int)
        case badSetting(String)

        public var description: String {
            switch self {
            case .unlabelledTrain: "TitleTargetEncoder: the train table has no segments"
            case .foldCountMismatch(let f, let n): "TitleTargetEncoder: foldOf has \(f) entries for \(n) train users"
            case .badFold(let row, let fold): "TitleTargetEncoder: foldOf[\(row)] = \(fold) is negative"
            case .emptyFold(let f): "TitleTargetEncoder: fold \(f) is empty or holds every train user (no fitting rows)"
            case .badSetting(let text): "TitleTargetEncoder: \(text)"
            }
        }
    }

    /// Out-of-fold features of train rows and all-train features of test rows.
    public struct Encoded: Sendable, Equatable {
        /// One row per train user (file order), each fitted without the user's own fold.
        public var train: FeatureSet
        /// One row per test user (file order), fitted on all train users.
        public var test: FeatureSet
        /// Number of folds.
        public var foldCount: Int
        /// The positive rate of all train users.
        public var prior: Double
    }

    /// Names of the encoded columns for `field`.
    public static func columnNames(field: TokenField = .titles) -> [String] {
        let p = "\(field.prefix)_target_"
        return ["weighted_mean", "mean", "max", "min", "mean_log_lift", "strong_pos_count", "strong_neg_count",
                "unseen_count"].map { p + $0 }
    }

    /// Encodes titles out of fold with m-estimate strength `smoothing` and the other settings at their defaults.
    public static func outOfFold(data: WatchData, foldOf: [Int], smoothing: Double) throws -> Encoded {
        try outOfFold(data: data, foldOf: foldOf, settings: Settings(smoothing: smoothing))
    }

    /// Encodes train rows out of fold (`foldOf[row]` = fold of train row `row`, 0-based) and
    /// test rows with rates fitted on all train rows.
    public static func outOfFold(data: WatchData, foldOf: [Int], settings: Settings = .init()) throws -> Encoded {
        guard let labels = data.train.labels else { throw EncoderError.unlabelledTrain }
        guard foldOf.count == data.train.userCount else {
            throw EncoderError.foldCountMismatch(foldOfCount: foldOf.count, trainUserCount: data.train.userCount)
        }
        try validate(settings)
        let (lists, tokenCount) = try watchLists(of: settings.field, in: data)
        if let bad = foldOf.firstIndex(where: { $0 < 0 }) { throw EncoderError.badFold(row: bad, fold: foldOf[bad]) }
        let counts = FoldTokenCounts(lists: data.train[keyPath: lists], labels: labels, foldOf: foldOf,
                                     tokenCount: tokenCount)
        guard counts.totalUsers > 0 else { throw EncoderError.emptyFold(0) }
        let prior = Double(counts.totalPositives) / Double(counts.totalUsers)

        // Rate tables: one per fold (fitted without it) and one on all train rows.
        var foldTables: [RateTable] = []
        for f in 0 ..< counts.foldCount {
            guard counts.foldUsers[f] > 0 else { throw EncoderError.emptyFold(f) }
            foldTables.append(try counts.rateTable(excluding: f, smoothing: settings.smoothing))
        }
        let allTable = try counts.rateTable(excluding: nil, smoothing: settings.smoothing)

        let names = columnNames(field: settings.field)
        let families = [FeatureFamily](repeating: .titleTarget, count: names.count)
        let tables = foldTables
        let train = encodeRows(data.train[keyPath: lists], userCount: data.train.userCount, columnNames: names,
                               settings: settings, tables: tables, foldOf: foldOf)
        let test = encodeRows(data.test[keyPath: lists], userCount: data.test.userCount, columnNames: names,
                              settings: settings, tables: [allTable], foldOf: nil)
        return Encoded(train: FeatureSet(matrix: train, families: families),
                       test: FeatureSet(matrix: test, families: families),
                       foldCount: counts.foldCount, prior: prior)
    }

    /// Checks the numeric settings.
    static func validate(_ settings: Settings) throws {
        guard settings.smoothing > 0, settings.smoothing.isFinite else {
            throw EncoderError.badSetting("smoothing must be a positive number, got \(settings.smoothing)")
        }
        guard settings.strongLift > 1, settings.strongLift.isFinite else {
            throw EncoderError.badSetting("strongLift must be > 1, got \(settings.strongLift)")
        }
        guard settings.minimumSupport >= 1 else {
            throw EncoderError.badSetting("minimumSupport must be ≥ 1, got \(settings.minimumSupport)")
        }
    }

    /// The watch lists of `field` and the size of its vocabulary; hours and days are refused.
    static func watchLists(of field: TokenField, in data: WatchData) throws -> (KeyPath<UserTable, WatchLists>, Int) {
        switch field {
        case .titles: return (\.titles, data.titles.count)
        case .genres: return (\.genres, data.genres.count)
        case .cities: return (\.cities, data.cities.count)
        case .hours, .days: throw EncoderError.badSetting("field \(field.rawValue) is not a watch list")
        }
    }

    /// Encodes every user of `lists` (rows in parallel) with the rate table of its fold,
    /// `tables[foldOf[user]]` (`tables[0]` for every user when `foldOf` is nil).
    static func encodeRows(_ lists: WatchLists, userCount: Int, columnNames names: [String], settings: Settings,
                           tables: [RateTable], foldOf: [Int]?) -> DenseMatrix {
        let width = names.count
        let values = parallelRows(rowCount: userCount, width: width) { rows, block in
            for u in rows {
                encodeRow(lists, user: u, table: tables[foldOf?[u] ?? 0], settings: settings, into: &block,
                          at: (u - rows.lowerBound) * width)
            }
        }
        return DenseMatrix(rowCount: userCount, columnCount: width, values: values, columnNames: names)
    }

    /// Distinct fitting users and positives per (fold, token), and their totals over all folds.
    struct FoldTokenCounts {
        let foldCount: Int
        let tokenCount: Int
        /// Users holding each token, `[fold * tokenCount + token]`.
        var users: [Int32]
        /// Positive users holding each token, `[fold * tokenCount + token]`.
        var positives: [Int32]
        var foldUsers: [Int]
        var foldPositives: [Int]
        var allUsers: [Int32]
        var allPositives: [Int32]
        var totalUsers: Int { foldUsers.reduce(0, +) }
        var totalPositives: Int { foldPositives.reduce(0, +) }

        init(lists train: WatchLists, labels: [UInt8], foldOf: [Int], tokenCount: Int) {
            let foldCount = (foldOf.max() ?? -1) + 1
            // Counted in locals (the loop runs over every entry), stored at the end.
            var users = [Int32](repeating: 0, count: max(1, foldCount) * tokenCount)
            var positives = [Int32](repeating: 0, count: users.count)
            var foldUsers = [Int](repeating: 0, count: foldCount)
            var foldPositives = [Int](repeating: 0, count: foldCount)
            var lastUser = [Int](repeating: -1, count: tokenCount)
            for u in 0 ..< foldOf.count {
                let f = foldOf[u]
                foldUsers[f] += 1
                foldPositives[f] += Int(labels[u])
                for i in train.range(of: u) {
                    let t = Int(train.items[i])
                    guard t >= 0 && t < tokenCount, lastUser[t] != u else { continue }
                    lastUser[t] = u
                    users[f * tokenCount + t] += 1
                    positives[f * tokenCount + t] += Int32(labels[u])
                }
            }
            var allUsers = [Int32](repeating: 0, count: tokenCount)
            var allPositives = [Int32](repeating: 0, count: tokenCount)
            for f in 0 ..< foldCount {
                for t in 0 ..< tokenCount {
                    allUsers[t] += users[f * tokenCount + t]
                    allPositives[t] += positives[f * tokenCount + t]
                }
            }
            self.foldCount = foldCount
            self.tokenCount = tokenCount
            self.users = users
            self.positives = positives
            self.foldUsers = foldUsers
            self.foldPositives = foldPositives
            self.allUsers = allUsers
            self.allPositives = allPositives
        }

        /// The m-estimate rates fitted without `fold` (on every row when nil).
        func rateTable(excluding fold: Int?, smoothing m: Double) throws -> RateTable {
            var n = allUsers
            var p = allPositives
            var fitUsers = totalUsers
            var fitPositives = totalPositives
            if let f = fold {
                for t in 0 ..< tokenCount {
                    n[t] -= users[f * tokenCount + t]
                    p[t] -= positives[f * tokenCount + t]
                }
                fitUsers -= foldUsers[f]
                fitPositives -= foldPositives[f]
            }
            guard fitUsers > 0 else { throw EncoderError.emptyFold(fold ?? 0) }
            let foldPrior = Double(fitPositives) / Double(fitUsers)
            let rates = (0 ..< tokenCount).map { t in (Double(p[t]) + m * foldPrior) / (Double(n[t]) + m) }
            return RateTable(prior: foldPrior, rates: rates, support: n)
        }
    }

    /// Smoothed rates fitted on one set of rows.
    struct RateTable: Sendable {
        var prior: Double
        var rates: [Double]
        var support: [Int32]
    }

    @inline(__always)
    static func encodeRow(_ lists: WatchLists, user u: Int, table: RateTable, settings: Settings,
                          into out: inout [Float], at base: Int) {
        let range = lists.range(of: u)
        let prior = table.prior
        guard !range.isEmpty else {
            out[base] = Float(prior); out[base + 1] = Float(prior); out[base + 2] = Float(prior)
            out[base + 3] = Float(prior)
            for c in 4 ..< 8 { out[base + c] = 0 }
            return
        }
        var weighted = 0.0, weight = 0.0, sum = 0.0, logLift = 0.0
        var maxRate = -Double.infinity, minRate = Double.infinity
        var strongPos = 0, strongNeg = 0, unseen = 0
        for i in range {
            let t = Int(lists.items[i])
            let known = t >= 0 && t < table.rates.count
            let rate = known ? table.rates[t] : prior
            let support = known ? Int(table.support[t]) : 0
            let s = Double(max(0, lists.seconds[i]))
            weighted += s * rate
            weight += s
            sum += rate
            logLift += log(rate / prior)
            maxRate = max(maxRate, rate)
            minRate = min(minRate, rate)
            if support == 0 { unseen += 1 }
            if support >= settings.minimumSupport {
                if rate >= settings.strongLift * prior { strongPos += 1 }
                if rate <= prior / settings.strongLift { strongNeg += 1 }
            }
        }
        let n = Double(range.count)
        out[base] = Float(weight > 0 ? weighted / weight : sum / n)
        out[base + 1] = Float(sum / n)
        out[base + 2] = Float(maxRate)
        out[base + 3] = Float(minRate)
        out[base + 4] = Float(logLift / n)
        out[base + 5] = Float(strongPos)
        out[base + 6] = Float(strongNeg)
        out[base + 7] = Float(unseen)
    }
}
