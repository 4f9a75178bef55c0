import Core
import Foundation
import Learning
import SegmentData

/// The class a user is counted under: the two training segments, or unlabelled (test file).
public enum UserClass: Int, Sendable, CaseIterable, Codable {
    case neg = 0
    case pos = 1
    case unlabelled = 2

    /// Number of classes (stride of the per-item count arrays).
    public static let count = 3

    public var label: String {
        switch self {
        case .neg: "neg"
        case .pos: "pos"
        case .unlabelled: "unlabelled"
        }
    }
}

/// The five watch-history fields of a record.
public enum WatchField: Int, Sendable, CaseIterable, Codable {
    case titles = 0, genres, cities, tod, dow

    /// The field's name in the competition file.
    public var name: String {
        switch self {
        case .titles: "titles"
        case .genres: "genres"
        case .cities: "cities"
        case .tod: "tod"
        case .dow: "dow"
        }
    }
}

/// How completely one field of one file is filled.
public struct FieldProfile: Sendable, Equatable, Codable {
    public var file: String
    public var field: String
    public var userCount: Int
    /// Users whose field has no entries (`tod`/`dow`: no second in any hour / day).
    public var emptyUserCount: Int
    /// `name:seconds` entries over all users (`tod`/`dow`: hours / days with seconds > 0).
    public var entryCount: Int
    /// Entries with 0 seconds; `nil` for `tod`/`dow`, whose dense form cannot tell a
    /// `h:0` entry from a missing one.
    public var zeroSecondEntryCount: Int?
    /// Distinct names used in this file (`tod`: hours, `dow`: days).
    public var distinctItemCount: Int

    /// Fraction of users with at least one entry.
    public var coverage: Double {
        userCount == 0 ? 0 : Double(userCount - emptyUserCount) / Double(userCount)
    }
}

/// Size, labels and field profiles of one file.
public struct FileOverview: Sendable, Equatable, Codable {
    public var file: String
    public var userCount: Int
    /// `pos` users; `nil` for an unlabelled file.
    public var positiveCount: Int?
    /// Total seconds of the `tod` field over all users.
    public var totalSeconds: Int64
    public var fields: [FieldProfile]

    /// Positive rate, or `nil` for an unlabelled file.
    public var positiveRate: Double? {
        guard let positiveCount, userCount > 0 else { return nil }
        return Double(positiveCount) / Double(userCount)
    }
}

/// Users having each item, and their seconds, by ``UserClass`` (`[item * 3 + class]`).
public struct ItemClassCounts: Sendable, Equatable {
    /// Users with at least one entry of the item.
    public var users: [Int]
    /// Seconds watched of the item.
    public var seconds: [Int64]

    public init(itemCount: Int) {
        users = Array(repeating: 0, count: itemCount * UserClass.count)
        seconds = Array(repeating: 0, count: itemCount * UserClass.count)
    }

    public var itemCount: Int { users.count / UserClass.count }

    @inlinable public func users(_ item: Int, _ userClass: UserClass) -> Int {
        users[item * UserClass.count + userClass.rawValue]
    }

    @inlinable public func seconds(_ item: Int, _ userClass: UserClass) -> Int64 {
        seconds[item * UserClass.count + userClass.rawValue]
    }

    /// Labelled users having the item (`pos + neg`).
    public func labelledUsers(_ item: Int) -> Int { users(item, .pos) + users(item, .neg) }

    /// Users having the item in either file.
    public func allUsers(_ item: Int) -> Int {
        users(item, .pos) + users(item, .neg) + users(item, .unlabelled)
    }

    mutating func add(_ other: ItemClassCounts) {
        for index in users.indices { users[index] += other.users[index] }
        for index in seconds.indices { seconds[index] += other.seconds[index] }
    }
}

/// One simple per-user feature of the training users, for distributions and single-feature AUC.
public struct UserFeature: Sendable, Equatable {
    public var name: String
    /// What the value is, in one line.
    public var definition: String
    /// One value per training user, in file order.
    public var values: [Double]
}

/// Exploratory statistics of a ``WatchData``: one pass over each file (split across cores),
/// counting users and seconds per genre, title, city, hour and day by class, profiling
/// each field, and collecting simple per-user features of the training users.
///
/// A user "has" a title, genre or city when the field lists it (even with 0 seconds); a user
/// is "active" in an hour or on a day when that hour's or day's seconds are positive.
public struct EDAStatistics: Sendable {
    /// Train then test.
    public var files: [FileOverview]
    /// Records skipped as invalid while loading, per file name.
    public var skippedRecordCount: [String: Int]
    public var skippedExamples: [String]
    /// Per file name: fields the format does not name (ignored) and how many records carry each.
    public var extraFieldRecordCount: [String: [String: Int]]
    /// The record-id leak check on the training users (`nil` when ids have no number or a class is missing).
    public var recordIDCheck: RecordIDCheck?
    /// Vocabulary sizes (train and test together).
    public var titleNames: [String]
    public var genreNames: [String]
    public var cityNames: [String]

    public var genres: ItemClassCounts
    public var titles: ItemClassCounts
    public var cities: ItemClassCounts
    /// Items are hours 0…23.
    public var hours: ItemClassCounts
    /// Items are days 1…7 stored at 0…6.
    public var days: ItemClassCounts
    /// Users active in hour `h` and on day `d` (1…7), at `[(h * 7 + d - 1) * 3 + class]`.
    public var hourDayUsers: [Int]
    /// Users per class.
    public var classUserCount: [Int]
    /// Total seconds (`tod` field) per class.
    public var classSeconds: [Int64]

    /// Training labels (1 = pos), in file order.
    public var trainLabels: [UInt8]
    /// Simple per-user features of the training users.
    public var userFeatures: [UserFeature]

    public var trainPositiveCount: Int { classUserCount[UserClass.pos.rawValue] }
    public var trainNegativeCount: Int { classUserCount[UserClass.neg.rawValue] }
    public var trainUserCount: Int { trainPositiveCount + trainNegativeCount }
    /// P(pos) in the training file.
    public var positiveRate: Double {
        trainUserCount == 0 ? 0 : Double(trainPositiveCount) / Double(trainUserCount)
    }

    /// Users active in hour `hour` (0…23) and on day `day` (1…7) of class `userClass`.
    public func hourDayUsers(hour: Int, day: Int, _ userClass: UserClass) -> Int {
        hourDayUsers[(hour * 7 + day - 1) * UserClass.count + userClass.rawValue]
    }

    /// The feature named `name`, if computed.
    public func feature(_ name: String) -> UserFeature? { userFeatures.first { $0.name == name } }

    /// Computes every statistic; `chunkCount` splits each file's users across cores
    /// (default: one chunk per active processor).
    public init(data: WatchData, chunkCount: Int? = nil) {
        let chunks = max(1, chunkCount ?? ProcessInfo.processInfo.activeProcessorCount)
        let cricket = data.genres.code(of: "Cricket").map(Int.init)
        let sizes = (titles: data.titles.count, genres: data.genres.count, cities: data.cities.count)

        let trainLabels: [UInt8] = data.train.labels ?? []
        let train = Self.scan(table: data.train, labels: data.train.labels, sizes: sizes,
                              cricketGenre: cricket, collectFeatures: true, chunkCount: chunks)
        let test = Self.scan(table: data.test, labels: nil, sizes: sizes,
                             cricketGenre: cricket, collectFeatures: false, chunkCount: chunks)

        var total = train.accumulator
        total.add(test.accumulator)

        files = [
            Self.overview(file: "train", table: data.train, accumulator: train.accumulator,
                          positiveCount: data.train.segments == nil ? nil : train.accumulator.classUsers[1]),
            Self.overview(file: "test", table: data.test, accumulator: test.accumulator,
                          positiveCount: data.test.segments == nil
                              ? nil : test.accumulator.classUsers[1]),
        ]
        skippedRecordCount = data.quality.skippedRecordCount
        skippedExamples = data.quality.skippedExamples
        extraFieldRecordCount = data.quality.extraFieldRecordCount
        titleNames = data.titles.names
        genreNames = data.genres.names
        cityNames = data.cities.names
        genres = total.genres
        titles = total.titles
        cities = total.cities
        hours = total.hours
        days = total.days
        hourDayUsers = total.hourDay
        classUserCount = total.classUsers
        classSeconds = total.classSeconds
        self.trainLabels = trainLabels

        var features = train.features
        if let idNumbers = Self.recordNumbers(data.train.ids) {
            features.append(UserFeature(
                name: "record id number",
                definition: "the number in the record id (train-N)", values: idNumbers))
        }
        recordIDCheck = Self.recordNumbers(data.train.ids).flatMap { RecordIDCheck(idNumbers: $0, labels: trainLabels) }
        userFeatures = features
    }

    // MARK: - The scan

    private static func overview(file: String, table: UserTable, accumulator: Accumulator,
                                 positiveCount: Int?) -> FileOverview {
        var fields: [FieldProfile] = []
        for field in WatchField.allCases {
            let index = field.rawValue
            let distinct: Int
            switch field {
            case .titles: distinct = accumulator.titles.distinctItems()
            case .genres: distinct = accumulator.genres.distinctItems()
            case .cities: distinct = accumulator.cities.distinctItems()
            case .tod: distinct = accumulator.hours.distinctItems()
            case .dow: distinct = accumulator.days.distinctItems()
            }
            fields.append(FieldProfile(
                file: file, field: field.name, userCount: table.userCount,
                emptyUserCount: accumulator.emptyUsers[index], entryCount: accumulator.entries[index],
                zeroSecondEntryCount: index < 3 ? accumulator.zeroEntries[index] : nil,
                distinctItemCount: distinct))
        }
        return FileOverview(file: file, userCount: table.userCount, positiveCount: positiveCount,
                            totalSeconds: accumulator.classSeconds.reduce(0, +), fields: fields)
    }

    /// The numeric part after the last `-` of every id, or `nil` if any id has none.
    static func recordNumbers(_ ids: [String]) -> [Double]? {
        var numbers: [Double] = []
        numbers.reserveCapacity(ids.count)
        for id in ids {
            guard let dash = id.lastIndex(of: "-"), let number = Int(id[id.index(after: dash)...]) else {
                return nil
            }
            numbers.append(Double(number))
        }
        return numbers.isEmpty ? nil : numbers
    }

    /// Names and definitions of the per-user features, in ``SimpleFeature`` order (cricket share
    /// only when the data has a Cricket genre).
    static func featureDefinitions(hasCricket: Bool) -> [(name: String, definition: String)] {
        SimpleFeature.allCases.filter { hasCricket || $0 != .cricketShare }.map { ($0.name, $0.definition) }
    }

    private static func scan(table: UserTable, labels: [UInt8]?,
                             sizes: (titles: Int, genres: Int, cities: Int),
                             cricketGenre: Int?, collectFeatures: Bool,
                             chunkCount: Int) -> (accumulator: Accumulator, features: [UserFeature]) {
        let userCount = table.userCount
        let definitions = featureDefinitions(hasCricket: cricketGenre != nil)
        let chunks = max(1, min(chunkCount, userCount / 2048))
        let results = parallelChunks(count: userCount, chunkCount: chunks) { users -> (Accumulator, [[Double]]) in
            let start = users.lowerBound, end = users.upperBound
            var accumulator = Accumulator(sizes: sizes)
            var featureColumns: [[Double]] = collectFeatures
                ? Array(repeating: [], count: definitions.count) : []
            if collectFeatures {
                for index in featureColumns.indices { featureColumns[index].reserveCapacity(end - start) }
            }
            for user in start ..< end {
                let userClass = labels.map { Int($0[user]) } ?? UserClass.unlabelled.rawValue
                accumulator.add(user: user, of: table, userClass: userClass, cricketGenre: cricketGenre,
                                features: &featureColumns, collectFeatures: collectFeatures)
            }
            return (accumulator, featureColumns)
        }
        var merged = Accumulator(sizes: sizes)
        var columns: [[Double]] = collectFeatures ? Array(repeating: [], count: definitions.count) : []
        for (accumulator, chunkColumns) in results {
            merged.add(accumulator)
            for index in chunkColumns.indices { columns[index].append(contentsOf: chunkColumns[index]) }
        }
        let features = zip(definitions, columns).map { definition, values in
            UserFeature(name: definition.name, definition: definition.definition, values: values)
        }
        return (merged, features)
    }
}

extension ItemClassCounts {
    func distinctItems() -> Int {
        var count = 0
        for item in 0 ..< itemCount where allUsers(item) > 0 { count += 1 }
        return count
    }
}

/// The simple per-user features, in column order.
enum SimpleFeature: Int, CaseIterable {
    case totalSeconds, titleEntries, genres, cities, activeHours, activeDays, nightShare, afternoonShare,
         eveningShare, lateWeekShare, topTitleShare, secondsPerTitle, cricketShare

    var name: String {
        switch self {
        case .totalSeconds: "total watch seconds"
        case .titleEntries: "title entries"
        case .genres: "genres"
        case .cities: "cities"
        case .activeHours: "active hours"
        case .activeDays: "active days"
        case .nightShare: "night share"
        case .afternoonShare: "afternoon share"
        case .eveningShare: "evening share"
        case .lateWeekShare: "days 6–7 share"
        case .topTitleShare: "top title share"
        case .secondsPerTitle: "seconds per title"
        case .cricketShare: "cricket share"
        }
    }

    var definition: String {
        switch self {
        case .totalSeconds: "sum of the tod field"
        case .titleEntries: "entries in the titles field"
        case .genres: "entries in the genres field"
        case .cities: "entries in the cities field"
        case .activeHours: "hours of day with seconds > 0"
        case .activeDays: "days of week with seconds > 0"
        case .nightShare: "share of seconds in hours 0–5"
        case .afternoonShare: "share of seconds in hours 12–17"
        case .eveningShare: "share of seconds in hours 18–23"
        case .lateWeekShare: "share of seconds on days 6 and 7"
        case .topTitleShare: "largest single title's share of title seconds"
        case .secondsPerTitle: "title seconds / title entries"
        case .cricketShare: "Cricket's share of genre seconds"
        }
    }
}

/// Per-chunk counts of one scan.
struct Accumulator {
    var genres: ItemClassCounts
    var titles: ItemClassCounts
    var cities: ItemClassCounts
    var hours = ItemClassCounts(itemCount: 24)
    var days = ItemClassCounts(itemCount: 7)
    var hourDay = Array(repeating: 0, count: 24 * 7 * UserClass.count)
    var classUsers = Array(repeating: 0, count: UserClass.count)
    var classSeconds = Array(repeating: Int64(0), count: UserClass.count)
    /// Per field (``WatchField`` order).
    var emptyUsers = Array(repeating: 0, count: 5)
    var entries = Array(repeating: 0, count: 5)
    var zeroEntries = Array(repeating: 0, count: 3)
    /// The last user that counted each item (so a name listed twice counts one user once).
    private var titleSeen: [Int32]
    private var genreSeen: [Int32]
    private var citySeen: [Int32]

    init(sizes: (titles: Int, genres: Int, cities: Int)) {
        genres = ItemClassCounts(itemCount: sizes.genres)
        titles = ItemClassCounts(itemCount: sizes.titles)
        cities = ItemClassCounts(itemCount: sizes.cities)
        titleSeen = Array(repeating: -1, count: sizes.titles)
        genreSeen = Array(repeating: -1, count: sizes.genres)
        citySeen = Array(repeating: -1, count: sizes.cities)
    }

    mutating func add(_ other: Accumulator) {
        genres.add(other.genres)
        titles.add(other.titles)
        cities.add(other.cities)
        hours.add(other.hours)
        days.add(other.days)
        for index in hourDay.indices { hourDay[index] += other.hourDay[index] }
        for index in 0 ..< UserClass.count {
            classUsers[index] += other.classUsers[index]
            classSeconds[index] += other.classSeconds[index]
        }
        for index in 0 ..< 5 {
            emptyUsers[index] += other.emptyUsers[index]
            entries[index] += other.entries[index]
        }
        for index in 0 ..< 3 { zeroEntries[index] += other.zeroEntries[index] }
    }

    /// Counts one list field of one user; returns (entries, seconds, largest entry, the
    /// seconds of `focusItem`).
    private static func addList(_ lists: WatchLists, user: Int, userClass: Int, field: Int,
                                counts: inout ItemClassCounts, seen: inout [Int32],
                                entries: inout [Int], emptyUsers: inout [Int], zeroEntries: inout [Int],
                                focusItem: Int? = nil)
        -> (count: Int, seconds: Int64, largest: Int64, focus: Int64) {
        let range = lists.range(of: user)
        if range.isEmpty { emptyUsers[field] += 1; return (0, 0, 0, 0) }
        entries[field] += range.count
        var total: Int64 = 0
        var largest: Int64 = 0
        var focus: Int64 = 0
        let marker = Int32(truncatingIfNeeded: user)
        for entry in range {
            let item = Int(lists.items[entry])
            let seconds = Int64(lists.seconds[entry])
            if seconds == 0 { zeroEntries[field] += 1 }
            total += seconds
            largest = max(largest, seconds)
            if item == focusItem { focus += seconds }
            let slot = item * UserClass.count + userClass
            counts.seconds[slot] += seconds
            if seen[item] != marker {
                seen[item] = marker
                counts.users[slot] += 1
            }
        }
        return (range.count, total, largest, focus)
    }

    mutating func add(user: Int, of table: UserTable, userClass: Int, cricketGenre: Int?,
                      features: inout [[Double]], collectFeatures: Bool) {
        classUsers[userClass] += 1
        let title = Self.addList(table.titles, user: user, userClass: userClass, field: 0, counts: &titles,
                                 seen: &titleSeen, entries: &entries, emptyUsers: &emptyUsers,
                                 zeroEntries: &zeroEntries)
        let genre = Self.addList(table.genres, user: user, userClass: userClass, field: 1, counts: &genres,
                                 seen: &genreSeen, entries: &entries, emptyUsers: &emptyUsers,
                                 zeroEntries: &zeroEntries, focusItem: cricketGenre)
        let city = Self.addList(table.cities, user: user, userClass: userClass, field: 2, counts: &cities,
                                seen: &citySeen, entries: &entries, emptyUsers: &emptyUsers,
                                zeroEntries: &zeroEntries)

        // Hours and days: dense rows.
        var activeHours: [Int] = []
        activeHours.reserveCapacity(24)
        var total: Int64 = 0, night: Int64 = 0, afternoon: Int64 = 0, evening: Int64 = 0
        let hourBase = user * 24
        for hour in 0 ..< 24 {
            let seconds = Int64(table.hourSeconds[hourBase + hour])
            guard seconds > 0 else { continue }
            activeHours.append(hour)
            total += seconds
            switch hour {
            case 0 ... 5: night += seconds
            case 12 ... 17: afternoon += seconds
            case 18 ... 23: evening += seconds
            default: break
            }
            hours.users[hour * UserClass.count + userClass] += 1
            hours.seconds[hour * UserClass.count + userClass] += seconds
        }
        var activeDayCount = 0
        var dayTotal: Int64 = 0, lateWeek: Int64 = 0
        let dayBase = user * 7
        for day in 0 ..< 7 {
            let seconds = Int64(table.daySeconds[dayBase + day])
            guard seconds > 0 else { continue }
            activeDayCount += 1
            dayTotal += seconds
            if day >= 5 { lateWeek += seconds }
            days.users[day * UserClass.count + userClass] += 1
            days.seconds[day * UserClass.count + userClass] += seconds
            for hour in activeHours { hourDay[(hour * 7 + day) * UserClass.count + userClass] += 1 }
        }
        if activeHours.isEmpty { emptyUsers[3] += 1 }
        if activeDayCount == 0 { emptyUsers[4] += 1 }
        entries[3] += activeHours.count
        entries[4] += activeDayCount
        classSeconds[userClass] += total

        guard collectFeatures else { return }
        func share(_ part: Int64, _ whole: Int64) -> Double { whole > 0 ? Double(part) / Double(whole) : 0 }
        func put(_ feature: SimpleFeature, _ value: Double) { features[feature.rawValue].append(value) }
        put(.totalSeconds, Double(total))
        put(.titleEntries, Double(title.count))
        put(.genres, Double(genre.count))
        put(.cities, Double(city.count))
        put(.activeHours, Double(activeHours.count))
        put(.activeDays, Double(activeDayCount))
        put(.nightShare, share(night, total))
        put(.afternoonShare, share(afternoon, total))
        put(.eveningShare, share(evening, total))
        put(.lateWeekShare, share(lateWeek, dayTotal))
        put(.topTitleShare, share(title.largest, title.seconds))
        put(.secondsPerTitle, title.count > 0 ? Double(title.seconds) / Double(title.count) : 0)
        if cricketGenre != nil { put(.cricketShare, share(genre.focus, genre.seconds)) }
    }
}
