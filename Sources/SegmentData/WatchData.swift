/// The columnar, in-memory form of the competition files (train and test share vocabularies).
///
/// Everything the analysis needs stays in flat arrays: names are interned once into
/// ``Vocabulary`` values, per-user `(item, seconds)` lists live in compressed-row
/// ``WatchLists``, and hours and days are dense `userCount × 24` / `userCount × 7` arrays.

/// The demographic segment a training user belongs to.
public enum Segment: UInt8, Sendable, Hashable, Codable, CaseIterable {
    case neg = 0
    case pos = 1
}

/// Names (titles, genres or cities) interned to dense `Int32` codes, kept exactly as written.
public struct Vocabulary: Sendable, Equatable {
    /// The names in first-seen order; `names[code]` is the text exactly as written in the file.
    public private(set) var names: [String]
    private var codes: [String: Int32]

    public init(names: [String] = []) {
        self.names = []
        self.codes = [:]
        for name in names { _ = intern(name) }
    }

    /// Number of distinct names.
    public var count: Int { names.count }

    /// The code of `name`, adding it when new.
    @discardableResult
    public mutating func intern(_ name: String) -> Int32 {
        if let code = codes[name] { return code }
        let code = Int32(names.count)
        names.append(name)
        codes[name] = code
        return code
    }

    /// The code of `name`, or `nil` when it was never seen.
    public func code(of name: String) -> Int32? { codes[name] }

    public subscript(code: Int32) -> String { names[Int(code)] }

    public static func == (lhs: Vocabulary, rhs: Vocabulary) -> Bool { lhs.names == rhs.names }
}

/// Per-user `(item, seconds)` lists in compressed-row form.
///
/// The entries of user `u` are `items[offsets[u] ..< offsets[u + 1]]` and the matching
/// `seconds`; entries keep the order of the file.
public struct WatchLists: Sendable, Equatable {
    /// `userCount + 1` row starts; `offsets[0] == 0`.
    public var offsets: [Int]
    /// Item codes into the field's ``Vocabulary``.
    public var items: [Int32]
    /// Watch seconds of each entry (non-negative).
    public var seconds: [Int32]

    public init(offsets: [Int] = [0], items: [Int32] = [], seconds: [Int32] = []) {
        self.offsets = offsets
        self.items = items
        self.seconds = seconds
    }

    /// Number of users (rows).
    public var userCount: Int { offsets.count - 1 }
    /// Number of entries over all users.
    public var entryCount: Int { items.count }

    /// The entry index range of user `user`.
    @inlinable
    public func range(of user: Int) -> Range<Int> { offsets[user] ..< offsets[user + 1] }

    /// Appends one user's entries.
    public mutating func appendUser(items newItems: [Int32], seconds newSeconds: [Int32]) {
        precondition(newItems.count == newSeconds.count, "items and seconds differ in length")
        items.append(contentsOf: newItems)
        seconds.append(contentsOf: newSeconds)
        offsets.append(items.count)
    }
}

/// The users of one file (train or test), in file order.
public struct UserTable: Sendable, Equatable {
    /// Record ids exactly as in the file (`train-121672`), in file order.
    public var ids: [String]
    /// Segments in file order; `nil` for an unlabelled file (test).
    public var segments: [Segment]?
    /// Titles watched (codes into ``WatchData/titles``).
    public var titles: WatchLists
    /// Genres watched (codes into ``WatchData/genres``).
    public var genres: WatchLists
    /// Cities watched from (codes into ``WatchData/cities``).
    public var cities: WatchLists
    /// Seconds watched per hour of day, `userCount × 24`, row-major (`hourSeconds[u * 24 + h]`).
    public var hourSeconds: [Int32]
    /// Seconds watched per day of week 1…7, `userCount × 7`, row-major (`daySeconds[u * 7 + d - 1]`).
    public var daySeconds: [Int32]

    public init(ids: [String] = [], segments: [Segment]? = nil, titles: WatchLists = .init(),
                genres: WatchLists = .init(), cities: WatchLists = .init(),
                hourSeconds: [Int32] = [], daySeconds: [Int32] = []) {
        self.ids = ids
        self.segments = segments
        self.titles = titles
        self.genres = genres
        self.cities = cities
        self.hourSeconds = hourSeconds
        self.daySeconds = daySeconds
    }

    /// Number of users.
    public var userCount: Int { ids.count }

    /// Labels as 0/1 (`pos` = 1), or `nil` for an unlabelled file.
    public var labels: [UInt8]? { segments?.map(\.rawValue) }
}

/// Train and test users with the vocabularies they share.
public struct WatchData: Sendable, Equatable {
    public var train: UserTable
    public var test: UserTable
    public var titles: Vocabulary
    public var genres: Vocabulary
    public var cities: Vocabulary
    /// What was skipped or noticed while loading (for the report's data-quality section).
    public var quality: LoadQuality

    public init(train: UserTable, test: UserTable, titles: Vocabulary, genres: Vocabulary,
                cities: Vocabulary, quality: LoadQuality = .init()) {
        self.train = train
        self.test = test
        self.titles = titles
        self.genres = genres
        self.cities = cities
        self.quality = quality
    }
}

/// Records skipped as invalid (with `--skip-invalid`) and other facts of the load.
public struct LoadQuality: Sendable, Equatable, Codable {
    /// Skipped records per file name.
    public var skippedRecordCount: [String: Int]
    /// The first few skip reasons, as printed error messages.
    public var skippedExamples: [String]
    /// Per file name: fields the format does not name (ignored by the analysis) and how many records carry each.
    public var extraFieldRecordCount: [String: [String: Int]]

    public init(skippedRecordCount: [String: Int] = [:], skippedExamples: [String] = [],
                extraFieldRecordCount: [String: [String: Int]] = [:]) {
        self.skippedRecordCount = skippedRecordCount
        self.skippedExamples = skippedExamples
        self.extraFieldRecordCount = extraFieldRecordCount
    }

    private enum CodingKeys: String, CodingKey { case skippedRecordCount, skippedExamples, extraFieldRecordCount }

    /// Decodes, treating a missing `extraFieldRecordCount` (older caches) as none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        skippedRecordCount = try container.decode([String: Int].self, forKey: .skippedRecordCount)
        skippedExamples = try container.decode([String].self, forKey: .skippedExamples)
        extraFieldRecordCount = try container.decodeIfPresent([String: [String: Int]].self, forKey: .extraFieldRecordCount) ?? [:]
    }
}
