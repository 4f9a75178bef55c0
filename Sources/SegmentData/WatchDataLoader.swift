import Core
import Foundation

/// How strictly the loader treats invalid records.
public struct LoadOptions: Sendable, Equatable {
    /// Skip (and count in ``LoadQuality``) a record whose JSON structure is intact but whose content
    /// is invalid, instead of failing the load. Structural JSON errors stay fatal.
    public var skipInvalid: Bool

    public init(skipInvalid: Bool = false) {
        self.skipInvalid = skipInvalid
    }
}

/// The strict, fast loader for the competition's `train_data.json` / `test_data.json` (plain or gzipped).
///
/// A byte-level scanner (no `JSONSerialization`, no `Codable`) that interns names straight from
/// the file's bytes into the vocabularies and writes hours and days into the dense arrays.
///
/// Rules (decided here, tested in `SegmentDataTests`):
/// - Each file is one JSON object keyed by user id; each user is an object of string fields, in any
///   order, with any JSON whitespace and escapes. Names keep their exact text (case, spaces).
/// - Field values are `name:seconds` entries joined by `,`; an entry splits at its **last** colon.
///   In `titles` a comma-separated piece that does not end in `:seconds` (`:` then an optional `-` and
///   digits) belongs to the next piece, because titles may contain commas; in the other fields every
///   comma separates entries. An empty string means no entries (in any field).
/// - Seconds are whole numbers 0…`Int32.max`. `tod` names are hours 0–23, `dow` names days 1–7, each
///   at most once per user.
/// - A labelled file needs `segment` (`pos` or `neg`) in every user. In an unlabelled (test) file
///   `segment` is optional but all-or-none: a test file whose every user is labelled loads with its
///   segments (so the predictions can be scored); one that labels only some users is an error. Extra field names with plain
///   values are ignored and counted in ``LoadQuality/extraFieldRecordCount``; a name close to a known
///   one (a misspelt field would otherwise silently lose data) or an object/array value is an error. All five other fields are required.
/// - A duplicate user id is an error. A leading UTF-8 byte order mark is tolerated.
/// - Gzip is recognised by its magic bytes, whatever the file is called; several gzip members are read as one.
public enum WatchDataLoader {
    /// Loads both files into one ``WatchData`` with shared vocabularies (train names first, then test's new ones).
    ///
    /// The two files are read and parsed concurrently into separate vocabularies; the test
    /// file's codes are then remapped into the train vocabularies, which gives exactly the result
    /// of loading train and then test in one pass. `progress` may be called from both threads at once.
    /// A problem in the train file is reported before one in the test file.
    public static func load(train: URL, test: URL, options: LoadOptions = .init(),
                            progress: (@Sendable (String) -> Void)? = nil) throws(LoadError) -> WatchData {
        let urls = [train, test]
        let results = parallelMap(count: 2) { index -> Result<ParsedFile, LoadError> in
            var titles = Vocabulary()
            var genres = Vocabulary()
            var cities = Vocabulary()
            var quality = LoadQuality()
            do throws(LoadError) {
                let table = try loadTable(from: urls[index], labelled: index == 0, titles: &titles, genres: &genres,
                                          cities: &cities, options: options, quality: &quality, progress: progress)
                return .success(ParsedFile(table: table, titles: titles, genres: genres, cities: cities, quality: quality))
            } catch {
                return .failure(error)
            }
        }
        let trainFile = try results[0].get()
        let testFile = try results[1].get()

        var titles = trainFile.titles
        var genres = trainFile.genres
        var cities = trainFile.cities
        var testTable = testFile.table
        testTable.titles.items = remap(testTable.titles.items, from: testFile.titles, into: &titles)
        testTable.genres.items = remap(testTable.genres.items, from: testFile.genres, into: &genres)
        testTable.cities.items = remap(testTable.cities.items, from: testFile.cities, into: &cities)

        var quality = trainFile.quality
        quality.merge(testFile.quality)
        return WatchData(train: trainFile.table, test: testTable, titles: titles, genres: genres,
                         cities: cities, quality: quality)
    }

    /// Loads one file (`labelled` decides whether `segment` is required or forbidden) into a
    /// ``UserTable``, interning its names into the given vocabularies. A file without users, and a
    /// labelled file whose users all share one segment, are refused (``LoadError/Kind/noUsers``,
    /// ``LoadError/Kind/singleClass``); the byte-level `parse…` functions leave that to their callers.
    public static func loadTable(from url: URL, labelled: Bool, titles: inout Vocabulary, genres: inout Vocabulary,
                                 cities: inout Vocabulary, options: LoadOptions,
                                 quality: inout LoadQuality) throws(LoadError) -> UserTable {
        try loadTable(from: url, labelled: labelled, titles: &titles, genres: &genres, cities: &cities,
                      options: options, quality: &quality, progress: nil)
    }

    /// ``loadTable(from:labelled:titles:genres:cities:options:quality:)`` with progress messages.
    public static func loadTable(from url: URL, labelled: Bool, titles: inout Vocabulary, genres: inout Vocabulary,
                                 cities: inout Vocabulary, options: LoadOptions, quality: inout LoadQuality,
                                 progress: (@Sendable (String) -> Void)?) throws(LoadError) -> UserTable {
        let fileName = url.lastPathComponent
        let started = DispatchTime.now().uptimeNanoseconds
        let raw = try FileBytes.read(path: url.path, fileName: fileName)
        progress?("\(fileName): read \(megabytes(raw.count)) MB")
        let table = try parseTable(bytes: raw, fileName: fileName, labelled: labelled, titles: &titles, genres: &genres,
                                   cities: &cities, options: options, quality: &quality)
        try LoadChecks.requireUsersAndBothClasses(table, url: url, labelled: labelled,
                                                  skippedCount: quality.skippedRecordCount[fileName] ?? 0)
        if let progress {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            let skipped = quality.skippedRecordCount[fileName] ?? 0
            progress("\(fileName): \(table.userCount) users" + (skipped > 0 ? ", \(skipped) skipped" : "")
                     + " in \(String(format: "%.2f", seconds)) s")
        }
        return table
    }

    /// Parses a file's bytes (plain JSON, or gzip detected by its magic bytes) into a ``UserTable``,
    /// interning names into the given vocabularies. `fileName` is used in error messages and as the
    /// key of ``LoadQuality/skippedRecordCount``.
    public static func parseTable(bytes: [UInt8], fileName: String, labelled: Bool, titles: inout Vocabulary,
                                  genres: inout Vocabulary, cities: inout Vocabulary, options: LoadOptions = .init(),
                                  quality: inout LoadQuality) throws(LoadError) -> UserTable {
        if FileBytes.isGzip(bytes) {
            let inflated = try FileBytes.gunzip(bytes, fileName: fileName)
            return try parsePlain(inflated, fileName: fileName, labelled: labelled, titles: &titles, genres: &genres,
                                  cities: &cities, options: options, quality: &quality)
        }
        return try parsePlain(bytes, fileName: fileName, labelled: labelled, titles: &titles, genres: &genres,
                              cities: &cities, options: options, quality: &quality)
    }

    /// ``parseTable(bytes:fileName:labelled:titles:genres:cities:options:quality:)`` for `Data`.
    public static func parseTable(data: Data, fileName: String, labelled: Bool, titles: inout Vocabulary,
                                  genres: inout Vocabulary, cities: inout Vocabulary, options: LoadOptions = .init(),
                                  quality: inout LoadQuality) throws(LoadError) -> UserTable {
        try parseTable(bytes: [UInt8](data), fileName: fileName, labelled: labelled, titles: &titles, genres: &genres,
                       cities: &cities, options: options, quality: &quality)
    }

    /// One file parsed on its own, with fresh vocabularies (convenient in tests and tools).
    public static func parseFile(bytes: [UInt8], fileName: String, labelled: Bool,
                                 options: LoadOptions = .init()) throws(LoadError) -> ParsedFile {
        var titles = Vocabulary()
        var genres = Vocabulary()
        var cities = Vocabulary()
        var quality = LoadQuality()
        let table = try parseTable(bytes: bytes, fileName: fileName, labelled: labelled, titles: &titles,
                                   genres: &genres, cities: &cities, options: options, quality: &quality)
        return ParsedFile(table: table, titles: titles, genres: genres, cities: cities, quality: quality)
    }

    private static func parsePlain(_ bytes: [UInt8], fileName: String, labelled: Bool, titles: inout Vocabulary,
                                   genres: inout Vocabulary, cities: inout Vocabulary, options: LoadOptions,
                                   quality: inout LoadQuality) throws(LoadError) -> UserTable {
        if bytes.isEmpty {
            throw LoadError(file: fileName, kind: .emptyFile, message: "file is empty (0 bytes)")
        }
        let outcome: Result<(UserTable, Int, [LoadError], [String: Int]), LoadError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = WatchFileParser(base: buffer.baseAddress!, count: buffer.count,
                                         fileName: fileName, labelled: labelled, skipInvalid: options.skipInvalid,
                                         titles: titles, genres: genres, cities: cities)
            swap(&parser.titleVocabulary, &titles)
            swap(&parser.genreVocabulary, &genres)
            swap(&parser.cityVocabulary, &cities)
            defer {
                swap(&parser.titleVocabulary, &titles)
                swap(&parser.genreVocabulary, &genres)
                swap(&parser.cityVocabulary, &cities)
            }
            do throws(LoadError) {
                try parser.parseFile()
            } catch {
                return .failure(error)
            }
            return .success((parser.takeTable(), parser.skippedCount, parser.skippedExamples, parser.extraFieldRecordCount))
        }
        let (table, skippedCount, examples, extraFields) = try outcome.get()
        if !extraFields.isEmpty { quality.extraFieldRecordCount[fileName, default: [:]].merge(extraFields, uniquingKeysWith: +) }
        if options.skipInvalid {
            quality.skippedRecordCount[fileName, default: 0] += skippedCount
            quality.skippedExamples.append(contentsOf: examples.prefix(LoadQuality.maximumExamplesPerFile).map(\.description))
        }
        return table
    }

    /// Maps codes of `source` into `target`, adding names that `target` lacks (in `source` order).
    static func remap(_ items: [Int32], from source: Vocabulary, into target: inout Vocabulary) -> [Int32] {
        let codes = source.names.map { target.intern($0) }
        var identity = codes.count <= target.count
        for (index, code) in codes.enumerated() where Int32(index) != code {
            identity = false
            break
        }
        if identity { return items }
        return codes.withUnsafeBufferPointer { table in items.map { table[Int($0)] } }
    }

    static func megabytes(_ byteCount: Int) -> String { String(format: "%.1f", Double(byteCount) / 1e6) }
}

/// One file parsed with its own vocabularies.
public struct ParsedFile: Sendable, Equatable {
    public var table: UserTable
    public var titles: Vocabulary
    public var genres: Vocabulary
    public var cities: Vocabulary
    public var quality: LoadQuality

    public init(table: UserTable, titles: Vocabulary, genres: Vocabulary, cities: Vocabulary, quality: LoadQuality) {
        self.table = table
        self.titles = titles
        self.genres = genres
        self.cities = cities
        self.quality = quality
    }
}

extension LoadQuality {
    /// How many skip messages are kept per file.
    public static let maximumExamplesPerFile = 5

    /// Adds another load's counts and examples.
    public mutating func merge(_ other: LoadQuality) {
        for (file, count) in other.skippedRecordCount { skippedRecordCount[file, default: 0] += count }
        skippedExamples.append(contentsOf: other.skippedExamples)
        for (file, counts) in other.extraFieldRecordCount {
            extraFieldRecordCount[file, default: [:]].merge(counts, uniquingKeysWith: +)
        }
    }

    /// Skipped records over all files.
    public var totalSkippedRecordCount: Int { skippedRecordCount.values.reduce(0, +) }
}
