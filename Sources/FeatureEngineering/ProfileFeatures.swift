import Core
import Foundation
import SegmentData

/// Builds the dense, hand-crafted profile features of every user of a ``UserTable``
/// (totals, genre seconds and shares, hour and day shares, time-of-day shares, entropies,
/// concentration and the id number). Train and test are built the same way from the shared
/// vocabularies, so their columns match.
public struct ProfileFeatureBuilder: Sendable {
    /// Genre names (column suffixes), in vocabulary code order.
    public let genreNames: [String]

    public init(genres: Vocabulary) { genreNames = genres.names }

    /// Hours counted as night (0–5 h).
    public static let nightHours = 0 ..< 6
    /// Hours counted as afternoon (12–17 h).
    public static let afternoonHours = 12 ..< 18
    /// Hours counted as evening (18–23 h).
    public static let eveningHours = 18 ..< 24
    /// Days counted as weekend (6 and 7; the files do not say which day is 1, Monday is assumed).
    public static let weekendDays = 6 ... 7

    /// Column names and families, in column order.
    public var columns: [(name: String, family: FeatureFamily)] {
        var out: [(String, FeatureFamily)] = []
        for name in ["log_total_seconds", "title_count", "genre_count", "city_count",
                     "active_hour_count", "active_day_count", "log_seconds_per_title"] {
            out.append((name, .totals))
        }
        for g in genreNames { out.append(("genre_log_seconds:\(g)", .genreSeconds)) }
        for g in genreNames { out.append(("genre_share:\(g)", .genreShares)) }
        for h in 0 ..< 24 { out.append((String(format: "hour_share:%02d", h), .hourShares)) }
        for d in 1 ... 7 { out.append(("day_share:\(d)", .dayShares)) }
        for name in ["night_share", "afternoon_share", "evening_share", "weekend_share"] {
            out.append((name, .timeOfDay))
        }
        for name in ["genre_entropy", "hour_entropy", "day_entropy", "city_entropy",
                     "top_title_share", "top_genre_share"] {
            out.append((name, .diversity))
        }
        out.append(("id_number", .identity))
        return out
    }

    /// The features of every user of `table`, one row per user in file order.
    public func build(_ table: UserTable) -> FeatureSet {
        let cols = columns
        let width = cols.count
        let genreCount = genreNames.count
        let table = table
        let values = parallelRows(rowCount: table.userCount, width: width) { rows, block in
            var genreSeconds = [Double](repeating: 0, count: genreCount)
            for u in rows {
                let base = (u - rows.lowerBound) * width
                Self.fillRow(table, user: u, genreCount: genreCount, genreSeconds: &genreSeconds,
                             into: &block, at: base)
            }
        }
        let matrix = DenseMatrix(rowCount: table.userCount, columnCount: width, values: values,
                                 columnNames: cols.map(\.name))
        return FeatureSet(matrix: matrix, families: cols.map(\.family))
    }

    /// One user's sums the columns are made of (the genre seconds go to a reused buffer).
    private struct UserSums {
        var hourTotal = 0.0
        var activeHourCount = 0
        var dayTotal = 0.0
        var activeDayCount = 0
        var titleRange: Range<Int>
        var titleTotal = 0.0
        var topTitleSeconds = 0.0
        var genreEntryCount: Int
        var genreTotal = 0.0
        var cityRange: Range<Int>
        var cityTotal = 0.0

        /// Sums user `u`'s hours, days, titles, genres (per code, so repeated entries add up, into
        /// `genreSeconds`) and cities.
        @inline(__always)
        init(_ t: UserTable, user u: Int, genreCount: Int, genreSeconds: inout [Double]) {
            for h in 0 ..< 24 {
                let s = Double(t.hourSeconds[u * 24 + h])
                hourTotal += s
                if s > 0 { activeHourCount += 1 }
            }
            for d in 0 ..< 7 {
                let s = Double(t.daySeconds[u * 7 + d])
                dayTotal += s
                if s > 0 { activeDayCount += 1 }
            }
            titleRange = t.titles.range(of: u)
            for i in titleRange {
                let s = Double(t.titles.seconds[i])
                titleTotal += s
                topTitleSeconds = max(topTitleSeconds, s)
            }
            let genreRange = t.genres.range(of: u)
            genreEntryCount = genreRange.count
            for g in 0 ..< genreCount { genreSeconds[g] = 0 }
            for i in genreRange {
                let g = Int(t.genres.items[i])
                let s = Double(t.genres.seconds[i])
                if g >= 0 && g < genreCount { genreSeconds[g] += s }
                genreTotal += s
            }
            cityRange = t.cities.range(of: u)
            for i in cityRange { cityTotal += Double(t.cities.seconds[i]) }
        }
    }

    @inline(__always)
    private static func fillRow(_ t: UserTable, user u: Int, genreCount: Int, genreSeconds: inout [Double],
                                into out: inout [Float], at base: Int) {
        let sums = UserSums(t, user: u, genreCount: genreCount, genreSeconds: &genreSeconds)
        var c = base
        // totals
        out[c] = Float(log1p(sums.hourTotal)); c += 1
        out[c] = Float(sums.titleRange.count); c += 1
        out[c] = Float(sums.genreEntryCount); c += 1
        out[c] = Float(sums.cityRange.count); c += 1
        out[c] = Float(sums.activeHourCount); c += 1
        out[c] = Float(sums.activeDayCount); c += 1
        out[c] = Float(log1p(sums.titleRange.isEmpty ? 0 : sums.titleTotal / Double(sums.titleRange.count))); c += 1
        let topGenre = fillGenres(genreSeconds, genreCount: genreCount, genreTotal: sums.genreTotal, into: &out, at: &c)
        fillTimeShares(t, user: u, sums: sums, into: &out, at: &c)
        // diversity
        out[c] = Float(entropyBits(genreSeconds[0 ..< genreCount], total: sums.genreTotal)); c += 1
        out[c] = Float(entropyBits(t.hourSeconds[u * 24 ..< u * 24 + 24].lazy.map(Double.init), total: sums.hourTotal)); c += 1
        out[c] = Float(entropyBits(t.daySeconds[u * 7 ..< u * 7 + 7].lazy.map(Double.init), total: sums.dayTotal)); c += 1
        out[c] = Float(entropyBits(t.cities.seconds[sums.cityRange].lazy.map(Double.init), total: sums.cityTotal)); c += 1
        out[c] = sums.titleTotal > 0 ? Float(sums.topTitleSeconds / sums.titleTotal) : 0; c += 1
        out[c] = sums.genreTotal > 0 ? Float(topGenre / sums.genreTotal) : 0; c += 1
        // identity
        out[c] = idNumber(t.ids[u]).map(Float.init) ?? .nan
    }

    /// Writes the genre log-seconds and shares from column `c` on (advancing it); returns the top genre's seconds.
    @inline(__always)
    private static func fillGenres(_ genreSeconds: [Double], genreCount: Int, genreTotal: Double,
                                   into out: inout [Float], at c: inout Int) -> Double {
        for g in 0 ..< genreCount { out[c + g] = Float(log1p(genreSeconds[g])) }
        c += genreCount
        var topGenre = 0.0
        for g in 0 ..< genreCount {
            out[c + g] = genreTotal > 0 ? Float(genreSeconds[g] / genreTotal) : 0
            topGenre = max(topGenre, genreSeconds[g])
        }
        c += genreCount
        return topGenre
    }

    /// Writes the hour and day shares and the night, afternoon, evening and weekend shares from column
    /// `c` on (advancing it).
    @inline(__always)
    private static func fillTimeShares(_ t: UserTable, user u: Int, sums: UserSums,
                                       into out: inout [Float], at c: inout Int) {
        let hourTotal = sums.hourTotal, dayTotal = sums.dayTotal
        var night = 0.0, afternoon = 0.0, evening = 0.0, weekend = 0.0
        for h in 0 ..< 24 {
            let s = Double(t.hourSeconds[u * 24 + h])
            out[c + h] = hourTotal > 0 ? Float(s / hourTotal) : 0
            if nightHours.contains(h) { night += s }
            if afternoonHours.contains(h) { afternoon += s }
            if eveningHours.contains(h) { evening += s }
        }
        c += 24
        for d in 0 ..< 7 {
            let s = Double(t.daySeconds[u * 7 + d])
            out[c + d] = dayTotal > 0 ? Float(s / dayTotal) : 0
            if weekendDays.contains(d + 1) { weekend += s }
        }
        c += 7
        out[c] = hourTotal > 0 ? Float(night / hourTotal) : 0; c += 1
        out[c] = hourTotal > 0 ? Float(afternoon / hourTotal) : 0; c += 1
        out[c] = hourTotal > 0 ? Float(evening / hourTotal) : 0; c += 1
        out[c] = dayTotal > 0 ? Float(weekend / dayTotal) : 0; c += 1
    }
}

/// Shannon entropy in bits of the distribution `weights / total` (0 when `total` is 0).
@inlinable
public func entropyBits<S: Sequence>(_ weights: S, total: Double) -> Double where S.Element == Double {
    guard total > 0 else { return 0 }
    var h = 0.0
    for w in weights where w > 0 {
        let p = w / total
        h -= p * log2(p)
    }
    return max(0, h)
}

/// The integer at the end of a record id (`train-121672` → 121672), or `nil` if it has none.
public func idNumber(_ id: String) -> Int? {
    var value = 0
    var scale = 1
    var digitCount = 0
    for byte in id.utf8.reversed() {
        guard byte >= 48 && byte <= 57 else { break }
        value += Int(byte - 48) * scale
        scale *= 10
        digitCount += 1
        if digitCount > 15 { return nil }
    }
    return digitCount > 0 ? value : nil
}
