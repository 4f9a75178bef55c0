/// A problem found while loading a competition file, naming the file, record, field and position.
///
/// Positions are 0-based byte offsets into the (decompressed) file, with the matching 1-based
/// line and byte column. File-level problems (missing file, unreadable file, empty file) carry no
/// position: `line` and `column` are 0 there. Inside a string that contains JSON escapes the
/// position points at the start of that string, because the decoded text no longer lines up
/// byte for byte with the file.
///
/// One-line shape: `train_data.json: record "train-12", field "titles", byte 1234 (line 1, column 1235): negative seconds "-5" in entry "Foo:-5"`.
public struct LoadError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong.
    public enum Kind: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
        // File level.
        /// The path does not exist.
        case fileNotFound
        /// The file exists but could not be read (permissions, a directory, an I/O error).
        case readFailed
        /// The file starts with the gzip magic bytes but does not inflate.
        case gzipFailed
        /// The file has 0 bytes or only whitespace.
        case emptyFile
        /// The top-level JSON value is not an object.
        case notAnObject
        /// The file's object holds no users (`{}`), or every user was skipped.
        case noUsers
        /// A labelled file whose users all have the same segment (no model can be trained on it).
        case singleClass
        // JSON structure (always fatal, even with `skipInvalid`).
        /// A byte that the JSON grammar does not allow here (bad token, missing `:`, `,` or brace, bad escape).
        case malformedJSON
        /// The file ends before the top-level object is closed.
        case truncated
        /// Something other than whitespace follows the top-level object.
        case trailingContent
        /// Objects or arrays nested deeper than the loader accepts.
        case nestingTooDeep
        // Record level (skippable with `skipInvalid`).
        /// A string that is not valid UTF-8.
        case invalidUTF8
        /// A user id maps to something other than an object.
        case recordNotObject
        /// The same user id appears twice in a file.
        case duplicateRecordID
        /// A field name other than `genres`, `titles`, `cities`, `tod`, `dow` (and `segment` in a labelled file).
        case unknownField
        /// A field appears twice in one record.
        case duplicateField
        /// A required field is absent.
        case missingField
        /// `segment` in an unlabelled (test) file.
        case unexpectedField
        /// A field value that is a number, `null`, `true`/`false`, an object or an array.
        case fieldNotString
        /// An entry with no `:seconds` part.
        case missingSeconds
        /// Seconds that are not a whole number (`Foo:abc`, `Foo:1.5`, `Foo:`).
        case secondsNotNumber
        /// Seconds below zero.
        case negativeSeconds
        /// Seconds above `Int32.max`.
        case secondsOverflow
        /// An entry whose name is empty (`:5`).
        case emptyName
        /// A `tod` name that is not an hour 0–23.
        case badHour
        /// A `dow` name that is not a day 1–7.
        case badDay
        /// The same hour or day twice in one user's `tod` or `dow`.
        case duplicateEntry
        /// A `segment` other than `pos` or `neg`.
        case unknownSegment
    }

    /// The file's name (last path component), e.g. `train_data.json`.
    public var file: String
    /// The user id of the record, when the problem is inside one.
    public var recordID: String?
    /// The field name, when the problem is inside one.
    public var field: String?
    /// 0-based byte offset in the decompressed file (0 for file-level problems).
    public var byteOffset: Int
    /// 1-based line (0 for file-level problems).
    public var line: Int
    /// 1-based byte column within the line (0 for file-level problems).
    public var column: Int
    /// The category, for programs.
    public var kind: Kind
    /// What exactly is wrong, for people.
    public var message: String

    public init(file: String, recordID: String? = nil, field: String? = nil, byteOffset: Int = 0,
                line: Int = 0, column: Int = 0, kind: Kind, message: String) {
        self.file = file
        self.recordID = recordID
        self.field = field
        self.byteOffset = byteOffset
        self.line = line
        self.column = column
        self.kind = kind
        self.message = message
    }

    /// Whether the record can be skipped with ``LoadOptions/skipInvalid`` (the JSON structure around it is intact).
    public var isRecordLevel: Bool {
        switch kind {
        case .fileNotFound, .readFailed, .gzipFailed, .emptyFile, .notAnObject, .noUsers, .singleClass,
             .malformedJSON, .truncated, .trailingContent, .nestingTooDeep:
            return false
        default:
            return true
        }
    }

    public var description: String {
        var context: [String] = []
        if let recordID { context.append("record \"\(recordID)\"") }
        if let field { context.append("field \"\(field)\"") }
        if line > 0 { context.append("byte \(byteOffset) (line \(line), column \(column))") }
        if context.isEmpty { return "\(file): \(message)" }
        return "\(file): \(context.joined(separator: ", ")): \(message)"
    }
}
