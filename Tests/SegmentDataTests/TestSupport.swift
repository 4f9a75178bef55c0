import Foundation
import Testing
@testable import SegmentData

/// One `(name, seconds)` entry of a user's list, decoded through the vocabulary.
struct Entry: Equatable, CustomStringConvertible {
    var name: String
    var seconds: Int32
    init(_ name: String, _ seconds: Int32) {
        self.name = name
        self.seconds = seconds
    }
    var description: String { "\(name.debugDescription):\(seconds)" }
}

/// The entries of `user` in `lists`, names looked up in `vocabulary`.
func entries(_ lists: WatchLists, _ vocabulary: Vocabulary, user: Int) -> [Entry] {
    lists.range(of: user).map { Entry(vocabulary[lists.items[$0]], lists.seconds[$0]) }
}

/// The non-zero `(hour or day, seconds)` pairs of one user's dense row.
func denseRow(_ values: [Int32], width: Int, first: Int, user: Int) -> [Int: Int32] {
    var row: [Int: Int32] = [:]
    for slot in 0 ..< width where values[user * width + slot] != 0 { row[first + slot] = values[user * width + slot] }
    return row
}

/// Parses JSON text as one file with fresh vocabularies.
func parse(_ text: String, labelled: Bool = true, fileName: String = "train_data.json",
           skipInvalid: Bool = false) throws(LoadError) -> ParsedFile {
    try WatchDataLoader.parseFile(bytes: Array(text.utf8), fileName: fileName, labelled: labelled,
                                  options: LoadOptions(skipInvalid: skipInvalid))
}

/// A train user's JSON (values are inserted as written, so they may hold escapes).
func trainUser(_ id: String = "train-1", genres: String = "Drama:5", titles: String = "Foo:5",
               cities: String = "delhi:5", segment: String = "neg", dow: String = "1:5", tod: String = "10:5") -> String {
    "\"\(id)\": {\"genres\": \"\(genres)\", \"titles\": \"\(titles)\", \"cities\": \"\(cities)\", \"segment\": \"\(segment)\", \"dow\": \"\(dow)\", \"tod\": \"\(tod)\"}"
}

/// A test user's JSON, in the test file's field order.
func testUser(_ id: String = "test-1", genres: String = "Drama:5", titles: String = "Foo:5",
              tod: String = "10:5", cities: String = "delhi:5", dow: String = "1:5") -> String {
    "\"\(id)\": {\"genres\": \"\(genres)\", \"titles\": \"\(titles)\", \"tod\": \"\(tod)\", \"cities\": \"\(cities)\", \"dow\": \"\(dow)\"}"
}

/// A file holding the given users.
func file(_ users: String...) -> String { "{" + users.joined(separator: ", ") + "}" }

/// The UTF-8 byte offset of the `occurrence`-th appearance of `marker` in `text`.
func byteOffset(of marker: String, in text: String, occurrence: Int = 1) -> Int? {
    let haystack = Array(text.utf8)
    let needle = Array(marker.utf8)
    var found = 0
    guard !needle.isEmpty, needle.count <= haystack.count else { return nil }
    for start in 0 ... haystack.count - needle.count where Array(haystack[start ..< start + needle.count]) == needle {
        found += 1
        if found == occurrence { return start }
    }
    return nil
}

/// Expects parsing `text` to fail with `kind`, naming `record` and `field`, at the `occurrence`-th `marker`
/// (or at `offset`), on one line unless `line`/`column` are given. Returns the error for further checks.
@discardableResult
func expectFailure(_ text: String, labelled: Bool = true, skipInvalid: Bool = false, kind: LoadError.Kind,
                   record: String?, field: String?, at marker: String? = nil, occurrence: Int = 1, offset: Int? = nil,
                   line: Int? = nil, column: Int? = nil, fileName: String = "train_data.json",
                   sourceLocation: SourceLocation = #_sourceLocation) -> LoadError? {
    do {
        let parsed = try parse(text, labelled: labelled, fileName: fileName, skipInvalid: skipInvalid)
        Issue.record("expected \(kind), parsed \(parsed.table.userCount) users", sourceLocation: sourceLocation)
        return nil
    } catch {
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        #expect(error.file == fileName, sourceLocation: sourceLocation)
        #expect(error.recordID == record, "\(error)", sourceLocation: sourceLocation)
        #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
        var expectedOffset = offset
        if let marker {
            expectedOffset = byteOffset(of: marker, in: text, occurrence: occurrence)
            #expect(expectedOffset != nil, "marker \(marker) not in text", sourceLocation: sourceLocation)
        }
        if let expectedOffset {
            #expect(error.byteOffset == expectedOffset, "\(error)", sourceLocation: sourceLocation)
            #expect(error.line == (line ?? 1), "\(error)", sourceLocation: sourceLocation)
            #expect(error.column == (column ?? expectedOffset + 1), "\(error)", sourceLocation: sourceLocation)
        }
        #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
        #expect(error.description.hasPrefix(fileName + ": "), sourceLocation: sourceLocation)
        return error
    }
}

/// A fresh directory under the system's temporary directory.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("SegmentDataTests-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The URL of a bundled fixture.
func fixtureURL(_ name: String) throws -> URL {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil)
        ?? Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
    return url
}
