/// The fields a record may hold.
enum RecordField: Int, CaseIterable {
    case genres, titles, cities, segment, dow, tod

    var name: String {
        switch self {
        case .genres: "genres"
        case .titles: "titles"
        case .cities: "cities"
        case .segment: "segment"
        case .dow: "dow"
        case .tod: "tod"
        }
    }

    /// Recognises a field name from its (decoded) bytes.
    @inline(__always)
    static func identify(_ p: UnsafePointer<UInt8>, _ length: Int) -> RecordField? {
        @inline(__always) func equals(_ literal: StaticString) -> Bool {
            literal.utf8CodeUnitCount == length && memcmp(literal.utf8Start, p, length) == 0
        }
        switch length {
        case 3:
            if equals("tod") { return .tod }
            if equals("dow") { return .dow }
        case 6:
            if equals("titles") { return .titles }
            if equals("genres") { return .genres }
            if equals("cities") { return .cities }
        case 7:
            if equals("segment") { return .segment }
        default:
            break
        }
        return nil
    }
}

/// Growable bytes for strings decoded from JSON escapes (reset at each record).
final class ScratchBuffer {
    private(set) var pointer: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    var count = 0

    init(capacity: Int = 4096) {
        self.capacity = capacity
        pointer = .allocate(capacity: capacity)
    }

    deinit { pointer.deallocate() }

    func reserve(additional: Int) {
        if count + additional <= capacity { return }
        var newCapacity = capacity * 2
        while newCapacity < count + additional { newCapacity *= 2 }
        let newPointer = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newPointer.update(from: pointer, count: count)
        pointer.deallocate()
        pointer = newPointer
        capacity = newCapacity
    }
}

/// A byte-level scanner for one competition file: `{"id": {"field": "name:seconds,...", ...}, ...}`.
///
/// Structural JSON problems are fatal. A record whose structure is intact but whose content is
/// invalid is either reported (the default) or, with `skipInvalid`, dropped and counted: the
/// record is parsed to its closing brace first, and nothing of it reaches the output (entries
/// are rolled back and its new names are only interned once the whole record is valid).
struct WatchFileParser {
    let base: UnsafePointer<UInt8>
    let count: Int
    var position = 0
    let fileName: String
    let labelled: Bool
    let skipInvalid: Bool

    var titles: NameListBuilder
    var genres: NameListBuilder
    var cities: NameListBuilder
    var hours = DenseBuilder(fieldName: "tod", firstName: 0, width: 24, kind: .badHour)
    var days = DenseBuilder(fieldName: "dow", firstName: 1, width: 7, kind: .badDay)
    var ids: [String] = []
    var idSet = RecordIDSet()
    var segments: [Segment] = []
    /// In an unlabelled (test) file: whether the users carry `segment` (decided by the first user;
    /// a test file with labels must label every user, so the predictions step can report a test AUC).
    var optionalLabelsPresent: Bool?
    let scratch = ScratchBuffer()

    var skippedCount = 0
    var skippedExamples: [LoadError] = []
    static let maximumExamples = 5
    static let maximumDepth = 512

    // The record being parsed.
    private var recordFailure: ParseFailure?
    private var recordIDContent: StringContent?
    /// Extra (unnamed by the format) fields of the record being parsed, counted when it is committed.
    private var pendingExtraFields: [String] = []
    /// Records carrying each extra field.
    var extraFieldRecordCount: [String: Int] = [:]

    init(base: UnsafePointer<UInt8>, count: Int, fileName: String, labelled: Bool, skipInvalid: Bool,
         titles: Vocabulary, genres: Vocabulary, cities: Vocabulary) {
        self.base = base
        self.count = count
        self.fileName = fileName
        self.labelled = labelled
        self.skipInvalid = skipInvalid
        self.titles = NameListBuilder(vocabulary: titles, fieldName: "titles", namesMayContainCommas: true)
        self.genres = NameListBuilder(vocabulary: genres, fieldName: "genres", namesMayContainCommas: false)
        self.cities = NameListBuilder(vocabulary: cities, fieldName: "cities", namesMayContainCommas: false)
        // Generous guesses from the file size (real files: about 535 bytes, 12 titles, 3 genres and 2 cities
        // per user); capacity that is never written is never touched, so over-reserving costs no memory.
        let estimatedUsers = max(count / 450, 16)
        self.titles.reserve(users: estimatedUsers, entries: count / 30)
        self.genres.reserve(users: estimatedUsers, entries: count / 120)
        self.cities.reserve(users: estimatedUsers, entries: count / 200)
        ids.reserveCapacity(estimatedUsers)
        hours.reserve(rows: estimatedUsers)
        days.reserve(rows: estimatedUsers)
        if labelled { segments.reserveCapacity(estimatedUsers) }
    }

    // MARK: Errors

    /// Turns a failure into a ``LoadError`` with line, column and (inside a record) the record id.
    func loadError(_ failure: ParseFailure, inRecord: Bool) -> LoadError {
        var line = 1
        var lineStart = 0
        let end = min(failure.offset, count)
        var index = 0
        while index < end {
            if base[index] == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        var recordID: String?
        if inRecord, let content = currentRecordID() {
            recordID = content.text(0 ..< content.length)
        }
        return LoadError(file: fileName, recordID: recordID, field: failure.field, byteOffset: failure.offset,
                         line: line, column: failure.offset - lineStart + 1, kind: failure.kind, message: failure.message)
    }

    private func describeByte(at offset: Int) -> String {
        guard offset < count else { return "the end of the file" }
        let byte = base[offset]
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    /// The failure for an unexpected byte (or the end of the file) where `expected` should be.
    private func unexpected(_ expected: String) -> ParseFailure {
        if position >= count {
            return ParseFailure(kind: .truncated, offset: count, field: nil,
                                message: "file ends where \(expected) was expected (truncated?)")
        }
        return ParseFailure(kind: .malformedJSON, offset: position, field: nil,
                            message: "expected \(expected), found \(describeByte(at: position))")
    }

    // MARK: Scanning

    @inline(__always)
    private mutating func skipWhitespace() {
        while position < count {
            let byte = base[position]
            if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
                position += 1
            } else {
                return
            }
        }
    }

    @inline(__always)
    private mutating func expect(_ byte: UInt8, _ description: String) throws(ParseFailure) {
        skipWhitespace()
        guard position < count, base[position] == byte else { throw unexpected(description) }
        position += 1
    }

    /// Scans a string starting at its opening quote; returns its content range and whether it holds escapes.
    @inline(__always)
    private mutating func scanString() throws(ParseFailure) -> (start: Int, end: Int, escaped: Bool) {
        position += 1
        let start = position
        var escaped = false
        // Eight bytes at a time while no quote, backslash or control byte is in sight.
        while position + 8 <= count {
            let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let hasQuote = (quote &- ones) & ~quote & highs
            let hasBackslash = (backslash &- ones) & ~backslash & highs
            let hasControl = (word &- ones &* 0x20) & ~word & highs
            if (hasQuote | hasBackslash | hasControl) != 0 { break }
            position += 8
        }
        while true {
            guard position < count else {
                throw ParseFailure(kind: .truncated, offset: count, field: nil,
                                   message: "file ends inside a string that starts at byte \(start - 1) (truncated?)")
            }
            let byte = base[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return (start, position - 1, escaped)
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                guard position + 1 < count else {
                    throw ParseFailure(kind: .truncated, offset: count, field: nil,
                                       message: "file ends inside an escape sequence (truncated?)")
                }
                let escape = base[position + 1]
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 2
                case UInt8(ascii: "u"):
                    for digit in 0 ..< 4 {
                        let offset = position + 2 + digit
                        guard offset < count else {
                            throw ParseFailure(kind: .truncated, offset: count, field: nil,
                                               message: "file ends inside a \\u escape (truncated?)")
                        }
                        if Self.hexValue(base[offset]) == nil {
                            throw ParseFailure(kind: .malformedJSON, offset: offset, field: nil,
                                               message: "\\u escape needs four hex digits, found \(describeByte(at: offset))")
                        }
                    }
                    position += 6
                default:
                    throw ParseFailure(kind: .malformedJSON, offset: position, field: nil,
                                       message: "invalid escape \\\(describeByte(at: position + 1)) in a string")
                }
                continue
            }
            if byte < 0x20 {
                throw ParseFailure(kind: .malformedJSON, offset: position, field: nil,
                                   message: "control character \(describeByte(at: position)) inside a string must be escaped")
            }
            position += 1
        }
    }

    @inline(__always)
    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// The content of a scanned string: the file bytes, or (with escapes) the bytes decoded into the scratch buffer.
    @inline(__always)
    private static func content(_ base: UnsafePointer<UInt8>, _ scratch: ScratchBuffer, start: Int, end: Int, escaped: Bool,
                                field: String?) -> Result<StringContent, ParseFailure> {
        if !escaped {
            return .success(StringContent(pointer: base + start, length: end - start, fileOffset: start,
                                          decoded: false, scratchOffset: 0))
        }
        return decodeEscapes(base, scratch, start: start, end: end, field: field)
    }

    /// Decodes a string with escapes (already checked by ``scanString()``) into the scratch buffer.
    private static func decodeEscapes(_ base: UnsafePointer<UInt8>, _ scratch: ScratchBuffer, start: Int, end: Int,
                                      field: String?) -> Result<StringContent, ParseFailure> {
        scratch.reserve(additional: end - start)
        let outputStart = scratch.count
        var out = scratch.pointer + outputStart
        var index = start
        // The four hex digits were checked by `scanString`.
        func unit(at offset: Int) -> UInt32 {
            var value: UInt32 = 0
            for digit in 0 ..< 4 { value = value << 4 | (hexValue(base[offset + digit]) ?? 0) }
            return value
        }
        while index < end {
            let byte = base[index]
            if byte != UInt8(ascii: "\\") {
                out.pointee = byte
                out += 1
                index += 1
                continue
            }
            let escape = base[index + 1]
            var scalar: UInt32
            switch escape {
            case UInt8(ascii: "b"): scalar = 0x08
            case UInt8(ascii: "f"): scalar = 0x0C
            case UInt8(ascii: "n"): scalar = 0x0A
            case UInt8(ascii: "r"): scalar = 0x0D
            case UInt8(ascii: "t"): scalar = 0x09
            case UInt8(ascii: "u"):
                scalar = unit(at: index + 2)
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    // A high surrogate must be followed by an escaped low surrogate.
                    if index + 12 <= end && base[index + 6] == UInt8(ascii: "\\") && base[index + 7] == UInt8(ascii: "u") {
                        let low = unit(at: index + 8)
                        if low >= 0xDC00 && low <= 0xDFFF {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            index += 6
                        } else {
                            return .failure(loneSurrogate(base, at: index, end: end, field: field))
                        }
                    } else {
                        return .failure(loneSurrogate(base, at: index, end: end, field: field))
                    }
                } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                    return .failure(loneSurrogate(base, at: index, end: end, field: field))
                }
                index += 4
            default: scalar = UInt32(escape)  // \" \\ \/
            }
            index += 2
            if scalar < 0x80 {
                out.pointee = UInt8(scalar); out += 1
            } else if scalar < 0x800 {
                out[0] = UInt8(0xC0 | (scalar >> 6)); out[1] = UInt8(0x80 | (scalar & 0x3F)); out += 2
            } else if scalar < 0x10000 {
                out[0] = UInt8(0xE0 | (scalar >> 12)); out[1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
                out[2] = UInt8(0x80 | (scalar & 0x3F)); out += 3
            } else {
                out[0] = UInt8(0xF0 | (scalar >> 18)); out[1] = UInt8(0x80 | ((scalar >> 12) & 0x3F))
                out[2] = UInt8(0x80 | ((scalar >> 6) & 0x3F)); out[3] = UInt8(0x80 | (scalar & 0x3F)); out += 4
            }
        }
        let length = out - (scratch.pointer + outputStart)
        scratch.count = outputStart + length
        return .success(StringContent(pointer: UnsafePointer(scratch.pointer + outputStart), length: length,
                                      fileOffset: start, decoded: true, scratchOffset: outputStart))
    }

    private static func loneSurrogate(_ base: UnsafePointer<UInt8>, at offset: Int, end: Int, field: String?) -> ParseFailure {
        let text = String(decoding: UnsafeBufferPointer(start: base + offset, count: min(6, end - offset)), as: UTF8.self)
        return ParseFailure(kind: .invalidUTF8, offset: offset, field: field,
                            message: "\(text) is a lone UTF-16 surrogate, not a character")
    }

    /// Skips any JSON value (checking its grammar), nested at most ``maximumDepth`` deep.
    private mutating func skipValue(depth: Int = 0) throws(ParseFailure) {
        skipWhitespace()
        guard position < count else { throw unexpected("a value") }
        if depth > Self.maximumDepth {
            throw ParseFailure(kind: .nestingTooDeep, offset: position, field: nil,
                               message: "objects and arrays nested more than \(Self.maximumDepth) deep")
        }
        switch base[position] {
        case UInt8(ascii: "\""):
            _ = try scanString()
        case UInt8(ascii: "{"):
            position += 1
            skipWhitespace()
            if position < count && base[position] == UInt8(ascii: "}") { position += 1; return }
            while true {
                skipWhitespace()
                guard position < count, base[position] == UInt8(ascii: "\"") else { throw unexpected("a quoted key") }
                _ = try scanString()
                try expect(UInt8(ascii: ":"), "':' after a key")
                try skipValue(depth: depth + 1)
                skipWhitespace()
                guard position < count else { throw unexpected("',' or '}'") }
                if base[position] == UInt8(ascii: ",") { position += 1; continue }
                if base[position] == UInt8(ascii: "}") { position += 1; return }
                throw unexpected("',' or '}' in an object")
            }
        case UInt8(ascii: "["):
            position += 1
            skipWhitespace()
            if position < count && base[position] == UInt8(ascii: "]") { position += 1; return }
            while true {
                try skipValue(depth: depth + 1)
                skipWhitespace()
                guard position < count else { throw unexpected("',' or ']'") }
                if base[position] == UInt8(ascii: ",") { position += 1; continue }
                if base[position] == UInt8(ascii: "]") { position += 1; return }
                throw unexpected("',' or ']' in an array")
            }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"):
            try number()
        default:
            throw unexpected("a value")
        }
    }

    private mutating func literal(_ word: StaticString) throws(ParseFailure) {
        let length = word.utf8CodeUnitCount
        for index in 0 ..< length {
            guard position + index < count else {
                position += index
                throw unexpected("'\(word)'")
            }
            if base[position + index] != word.utf8Start[index] {
                position += index
                throw unexpected("'\(word)'")
            }
        }
        position += length
    }

    /// Skips a number following the JSON grammar `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    private mutating func number() throws(ParseFailure) {
        func isDigit(_ offset: Int) -> Bool { offset < count && base[offset] &- UInt8(ascii: "0") <= 9 }
        if base[position] == UInt8(ascii: "-") { position += 1 }
        guard isDigit(position) else { throw unexpected("a digit") }
        if base[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while isDigit(position) { position += 1 }
        }
        if position < count && base[position] == UInt8(ascii: ".") {
            position += 1
            guard isDigit(position) else { throw unexpected("a digit after '.'") }
            while isDigit(position) { position += 1 }
        }
        if position < count && (base[position] == UInt8(ascii: "e") || base[position] == UInt8(ascii: "E")) {
            position += 1
            if position < count && (base[position] == UInt8(ascii: "+") || base[position] == UInt8(ascii: "-")) { position += 1 }
            guard isDigit(position) else { throw unexpected("a digit in the exponent") }
            while isDigit(position) { position += 1 }
        }
    }

    /// What kind of JSON value starts at `position` (for messages).
    private static func valueKindName(_ base: UnsafePointer<UInt8>, count: Int, position: Int) -> String {
        guard position < count else { return "nothing" }
        switch base[position] {
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        case UInt8(ascii: "n"): return "null"
        case UInt8(ascii: "\""): return "a string"
        default: return "a number"
        }
    }

    // MARK: Records

    /// Notes a record-level failure (the first one counts). It is reported once the record's JSON
    /// structure has been parsed to its closing brace, so structural errors always win.
    @inline(__always)
    private mutating func recordFailed(_ failure: ParseFailure) {
        if recordFailure == nil { recordFailure = failure }
    }

    /// Parses the whole file.
    mutating func parseFile() throws(LoadError) {
        do {
            try parseTopLevel()
        } catch let failure as ParseFailure {
            throw loadError(failure, inRecord: recordIDContent != nil)
        } catch let error as LoadError {
            throw error
        } catch {
            throw LoadError(file: fileName, kind: .malformedJSON, message: "\(error)")
        }
    }

    private mutating func parseTopLevel() throws {
        // A UTF-8 byte order mark is tolerated.
        if count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { position = 3 }
        skipWhitespace()
        guard position < count else {
            let what = count == 0 ? "file is empty (0 bytes)" : "file holds only whitespace (\(count) bytes)"
            throw LoadError(file: fileName, kind: .emptyFile, message: what)
        }
        guard base[position] == UInt8(ascii: "{") else {
            let start = position
            if base[position] == UInt8(ascii: "[") || base[position] == UInt8(ascii: "\"")
                || base[position] == UInt8(ascii: "t") || base[position] == UInt8(ascii: "f")
                || base[position] == UInt8(ascii: "n") || base[position] == UInt8(ascii: "-")
                || base[position] &- UInt8(ascii: "0") <= 9 {
                throw ParseFailure(kind: .notAnObject, offset: start, field: nil,
                                   message: "the top-level value is \(Self.valueKindName(base, count: count, position: position)), not an object keyed by user id")
            }
            throw unexpected("'{' starting the object of users")
        }
        position += 1
        skipWhitespace()
        if position < count && base[position] == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                guard position < count, base[position] == UInt8(ascii: "\"") else {
                    throw unexpected("a quoted user id")
                }
                try parseRecord()
                recordIDContent = nil
                skipWhitespace()
                guard position < count else { throw unexpected("',' or '}' after a user") }
                if base[position] == UInt8(ascii: ",") { position += 1; continue }
                if base[position] == UInt8(ascii: "}") { position += 1; break }
                throw unexpected("',' or '}' after a user")
            }
        }
        skipWhitespace()
        if position < count {
            throw ParseFailure(kind: .trailingContent, offset: position, field: nil,
                               message: "unexpected \(describeByte(at: position)) after the end of the top-level object")
        }
    }

    /// Parses `"id": {...}` (position at the id's opening quote).
    private mutating func parseRecord() throws {
        scratch.count = 0
        recordFailure = nil
        if !pendingExtraFields.isEmpty { pendingExtraFields.removeAll(keepingCapacity: true) }
        recordIDContent = nil
        let (idContent, idStart) = try parseRecordID()
        try expect(UInt8(ascii: ":"), "':' after the user id")
        skipWhitespace()
        let recordStart = position
        if recordFailure == nil { checkRecordID(idContent, idStart: idStart) }
        guard position < count, base[position] == UInt8(ascii: "{") else {
            try skipNonObjectRecord(recordStart: recordStart)
            return
        }
        position += 1
        hours.beginRow()
        days.beginRow()
        var seenFields: UInt8 = 0
        var segment: Segment?
        try parseRecordFields(seenFields: &seenFields, segment: &segment)
        if recordFailure == nil { checkMissingFields(seenFields, recordStart: recordStart) }
        if recordFailure == nil && !labelled { checkOptionalLabel(hasSegment: segment != nil, recordStart: recordStart) }
        if recordFailure == nil {
            if let segment { segments.append(segment) }
            hours.commitRow()
            days.commitRow()
            try finishRecord(committed: true)
        } else {
            hours.rollback()
            days.rollback()
            try finishRecord(committed: false)
        }
    }

    /// Scans and decodes the user id (position at its opening quote) and makes it the current record's id.
    @inline(__always)
    private mutating func parseRecordID() throws(ParseFailure) -> (content: StringContent, start: Int) {
        let idScan = try scanString()
        let idContent: StringContent
        switch Self.content(base, scratch, start: idScan.start, end: idScan.end, escaped: idScan.escaped, field: nil) {
        case .success(let decoded): idContent = decoded
        case .failure(let failure):
            // Keep the raw (still escaped) id for the message.
            idContent = StringContent(pointer: base + idScan.start, length: idScan.end - idScan.start,
                                      fileOffset: idScan.start, decoded: false, scratchOffset: 0)
            recordFailed(failure)
        }
        recordIDContent = idContent
        return (idContent, idScan.start)
    }

    /// Fails the record when its id is not valid UTF-8 or was seen before in the file.
    @inline(__always)
    private mutating func checkRecordID(_ idContent: StringContent, idStart: Int) {
        if !UTF8Validation.isValid(idContent.pointer, idContent.length) {
            recordFailed(ParseFailure(kind: .invalidUTF8, offset: idStart, field: nil,
                                      message: "user id is not valid UTF-8"))
        } else if idSet.contains(idContent.pointer, length: idContent.length) {
            recordFailed(ParseFailure(kind: .duplicateRecordID, offset: idStart, field: nil,
                                      message: "user id \"\(idContent.text(0 ..< idContent.length))\" appears twice in the file"))
        }
    }

    /// Skips a user whose value is not an object and fails (drops) the record.
    private mutating func skipNonObjectRecord(recordStart: Int) throws {
        let kindName = Self.valueKindName(base, count: count, position: position)
        try skipValue()
        recordFailed(ParseFailure(kind: .recordNotObject, offset: recordStart, field: nil,
                                  message: "the user's value is \(kindName), not an object of fields"))
        try finishRecord(committed: false)
    }

    /// Parses the fields of a user's object up to and including its closing brace (position after `{`).
    @inline(__always)
    private mutating func parseRecordFields(seenFields: inout UInt8, segment: inout Segment?) throws {
        skipWhitespace()
        if position < count && base[position] == UInt8(ascii: "}") {
            position += 1
            return
        }
        while true {
            skipWhitespace()
            guard position < count, base[position] == UInt8(ascii: "\"") else { throw unexpected("a quoted field name") }
            try parseRecordField(seenFields: &seenFields, segment: &segment)
            skipWhitespace()
            guard position < count else { throw unexpected("',' or '}' in the user") }
            if base[position] == UInt8(ascii: ",") { position += 1; continue }
            if base[position] == UInt8(ascii: "}") { position += 1; return }
            throw unexpected("',' or '}' in the user")
        }
    }

    /// Parses one `"name": value` pair of a user (position at the name's opening quote).
    @inline(__always)
    private mutating func parseRecordField(seenFields: inout UInt8, segment: inout Segment?) throws(ParseFailure) {
        let keyScan = try scanString()
        var field: RecordField?
        var fieldName = ""
        switch Self.content(base, scratch, start: keyScan.start, end: keyScan.end, escaped: keyScan.escaped, field: nil) {
        case .success(let key):
            field = RecordField.identify(key.pointer, key.length)
            if field == nil { fieldName = key.text(0 ..< key.length) }
        case .failure(let failure):
            recordFailed(failure)
        }
        try expect(UInt8(ascii: ":"), "':' after the field name")
        skipWhitespace()
        let valueStart = position
        guard position < count else { throw unexpected("a value") }
        let isString = base[position] == UInt8(ascii: "\"")
        var notStringField: String?
        if recordFailure == nil {
            notStringField = checkFieldName(field, fieldName, keyStart: keyScan.start, isString: isString,
                                            seenFields: &seenFields)
        }
        if !isString {
            let kindName = Self.valueKindName(base, count: count, position: position)
            try skipValue()
            if let notStringField {
                recordFailed(ParseFailure(kind: .fieldNotString, offset: valueStart, field: notStringField,
                                          message: "value is \(kindName), not a string"))
            }
        } else {
            try parseStringValue(of: field, segment: &segment)
        }
    }

    /// Fails the record on a repeated or refused field name and notes accepted extra fields; returns
    /// the name of a known field whose value is not a string (nil otherwise).
    @inline(__always)
    private mutating func checkFieldName(_ field: RecordField?, _ fieldName: String, keyStart: Int, isString: Bool,
                                         seenFields: inout UInt8) -> String? {
        guard let field else {
            if let refusal = ExtraFields.refusal(of: fieldName, valueByte: base[position], labelled: labelled) {
                recordFailed(ParseFailure(kind: .unknownField, offset: keyStart - 1, field: fieldName,
                                          message: refusal))
            } else {
                pendingExtraFields.append(fieldName)
            }
            return nil
        }
        var notStringField: String?
        if seenFields & (1 << UInt8(field.rawValue)) != 0 {
            recordFailed(ParseFailure(kind: .duplicateField, offset: keyStart - 1, field: field.name,
                                      message: "field \"\(field.name)\" appears twice in the user"))
        } else if !isString {
            notStringField = field.name
        }
        seenFields |= 1 << UInt8(field.rawValue)
        return notStringField
    }

    /// Scans a string value (position at its opening quote) and, for a known field of a record still
    /// valid, decodes it into the open row.
    @inline(__always)
    private mutating func parseStringValue(of field: RecordField?, segment: inout Segment?) throws(ParseFailure) {
        let valueScan = try scanString()
        guard recordFailure == nil, let field else { return }
        switch Self.content(base, scratch, start: valueScan.start, end: valueScan.end, escaped: valueScan.escaped, field: field.name) {
        case .success(let value):
            if let failure = parseField(field, value, segment: &segment) {
                recordFailed(failure)
            }
        case .failure(let failure):
            recordFailed(failure)
        }
    }

    /// Fails the record when one of the required fields is absent (`segment` only in a labelled file).
    private mutating func checkMissingFields(_ seenFields: UInt8, recordStart: Int) {
        for rawField in 0 ..< 6 where seenFields & (1 << UInt8(rawField)) == 0 {
            guard let field = RecordField(rawValue: rawField) else { continue }
            if field == .segment && !labelled { continue }
            let note = field == .segment ? " (a labelled file needs pos or neg)" : ""
            recordFailed(ParseFailure(kind: .missingField, offset: recordStart, field: field.name,
                                      message: "missing field \"\(field.name)\"\(note)"))
            break
        }
    }

    /// In a test file: every user carries `segment` or none does (the first user decides).
    private mutating func checkOptionalLabel(hasSegment: Bool, recordStart: Int) {
        if let present = optionalLabelsPresent, present != hasSegment {
            recordFailed(ParseFailure(
                kind: present ? .missingField : .unexpectedField, offset: recordStart, field: "segment",
                message: present ? "missing field \"segment\" (earlier test users have one: label every test user or none)"
                                 : "\"segment\" in a test user although earlier test users have none (label every test user or none)"))
        } else {
            optionalLabelsPresent = hasSegment
        }
    }

    /// Parses one string field's value into the open row.
    @inline(__always)
    private mutating func parseField(_ field: RecordField, _ value: StringContent, segment: inout Segment?) -> ParseFailure? {
        switch field {
        case .titles: return titles.parse(value)
        case .genres: return genres.parse(value)
        case .cities: return cities.parse(value)
        case .tod: return hours.parse(value)
        case .dow: return days.parse(value)
        case .segment:
            if value.length == 3 && memcmp(value.pointer, "pos", 3) == 0 {
                segment = .pos
            } else if value.length == 3 && memcmp(value.pointer, "neg", 3) == 0 {
                segment = .neg
            } else {
                return ParseFailure(kind: .unknownSegment, offset: value.position(0), field: "segment",
                                    message: "segment \"\(value.text(0 ..< value.length))\" is not pos or neg")
            }
            return nil
        }
    }

    /// Commits the record (its id, rows and new names) or drops it and counts the skip.
    private mutating func finishRecord(committed: Bool) throws(LoadError) {
        if committed, let idContent = currentRecordID() {
            ids.append(String(decoding: UnsafeBufferPointer(start: idContent.pointer, count: idContent.length), as: UTF8.self))
            idSet.insert(idContent.pointer, length: idContent.length)
            // Vocabularies are committed by the caller-provided closure below.
            commitLists()
            for name in Set(pendingExtraFields) { extraFieldRecordCount[name, default: 0] += 1 }
        } else {
            titles.rollback()
            genres.rollback()
            cities.rollback()
            guard let failure = recordFailure else { return }
            if !skipInvalid { throw loadError(failure, inRecord: true) }
            skippedCount += 1
            if skippedExamples.count < Self.maximumExamples {
                skippedExamples.append(loadError(failure, inRecord: true))
            }
        }
    }

    /// The current record's id; a decoded id is re-pointed at the scratch buffer, which may have moved.
    private func currentRecordID() -> StringContent? {
        guard var content = recordIDContent else { return nil }
        if content.decoded { content.pointer = UnsafePointer(scratch.pointer + content.scratchOffset) }
        return content
    }

    // The vocabularies new names are added to (moved in for the parse, moved out after).
    var titleVocabulary = Vocabulary()
    var genreVocabulary = Vocabulary()
    var cityVocabulary = Vocabulary()

    private mutating func commitLists() {
        let scratchPointer = UnsafePointer(scratch.pointer)
        titles.commit(vocabulary: &titleVocabulary, file: base, scratch: scratchPointer)
        genres.commit(vocabulary: &genreVocabulary, file: base, scratch: scratchPointer)
        cities.commit(vocabulary: &cityVocabulary, file: base, scratch: scratchPointer)
    }

    /// The parsed users (call once, at the end).
    mutating func takeTable() -> UserTable {
        UserTable(ids: ids, segments: labelled || optionalLabelsPresent == true ? segments : nil, titles: titles.lists, genres: genres.lists,
                  cities: cities.lists, hourSeconds: hours.takeValues(), daySeconds: days.takeValues())
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
