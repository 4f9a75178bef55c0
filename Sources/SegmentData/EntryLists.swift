/// A failure found while parsing: a position in the file, the field (when known) and what is wrong.
/// The record id is added by the parser when it turns this into a ``LoadError``.
struct ParseFailure: Error {
    var kind: LoadError.Kind
    var offset: Int
    var field: String?
    var message: String
}

/// Where a string's bytes are: in the file (no escapes, so positions map 1:1) or decoded into the
/// record's scratch buffer (positions then point at the start of the string in the file).
struct StringContent {
    var pointer: UnsafePointer<UInt8>
    var length: Int
    /// File offset of the string's first content byte.
    var fileOffset: Int
    /// `true` when the bytes were decoded from JSON escapes into the scratch buffer.
    var decoded: Bool
    /// Offset of the bytes in the scratch buffer (when `decoded`).
    var scratchOffset: Int

    /// File offset to report for a problem at `index` within the content.
    @inline(__always)
    func position(_ index: Int) -> Int { decoded ? fileOffset : fileOffset + index }

    /// The bytes `range` as text for a message (invalid UTF-8 repaired, long text shortened).
    func text(_ range: Range<Int>) -> String {
        let clipped = range.clamped(to: 0 ..< length)
        let string = String(decoding: UnsafeBufferPointer(start: pointer + clipped.lowerBound, count: clipped.count), as: UTF8.self)
        if string.count > 80 { return String(string.prefix(77)) + "..." }
        return string
    }
}

/// Splitting a field value into `name:seconds` entries.
enum EntrySplitting {
    /// Advances from `index` to the next `,` (or `length`), updating `lastColon` with the last `:` passed.
    /// Eight bytes at a time (SWAR) while a whole word fits in the content.
    @inline(__always)
    static func scanToComma(_ p: UnsafePointer<UInt8>, from start: Int, length: Int, lastColon: inout Int) -> Int {
        var index = start
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let ones: UInt64 = 0x0101_0101_0101_0101
        while index + 8 <= length {
            let word = UnsafeRawPointer(p + index).loadUnaligned(as: UInt64.self)
            // Exact per-byte zero test: 0x80 in each byte of `x` that is zero.
            let commaBytes = word ^ (ones &* 0x2C)
            let colonBytes = word ^ (ones &* 0x3A)
            let commaMask = ~(((commaBytes & low7) &+ low7) | commaBytes | low7)
            var colonMask = ~(((colonBytes & low7) &+ low7) | colonBytes | low7)
            if commaMask != 0 {
                let commaByte = commaMask.trailingZeroBitCount >> 3
                colonMask &= (UInt64(1) << UInt64(commaByte * 8)) &- 1
                if colonMask != 0 { lastColon = index + ((63 - colonMask.leadingZeroBitCount) >> 3) }
                return index + commaByte
            }
            if colonMask != 0 { lastColon = index + ((63 - colonMask.leadingZeroBitCount) >> 3) }
            index += 8
        }
        while index < length {
            let byte = p[index]
            if byte == UInt8(ascii: ",") { return index }
            if byte == UInt8(ascii: ":") { lastColon = index }
            index += 1
        }
        return index
    }

    /// Fast path for seconds: 1–9 plain digits (always within `Int32`); `nil` sends the caller to the careful path.
    @inline(__always)
    static func plainSeconds(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int32? {
        let digitCount = end - start
        if digitCount < 1 || digitCount > 9 { return nil }
        var value: Int32 = 0
        var index = start
        while index < end {
            let digit = p[index] &- UInt8(ascii: "0")
            if digit > 9 { return nil }
            value = value &* 10 &+ Int32(digit)
            index += 1
        }
        return value
    }

    /// Parses the seconds text `start ..< end` (after the entry's last colon).
    /// Returns the value or a failure; `-digits` is negative, more than `Int32.max` overflows.
    @inline(__always)
    static func seconds(_ content: StringContent, from start: Int, to end: Int, entryStart: Int,
                        field: String) -> Result<Int32, ParseFailure> {
        let p = content.pointer
        var index = start
        var negative = false
        if index < end && p[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        if index == end {
            return .failure(failure(.secondsNotNumber, content, start, end, entryStart, field))
        }
        var value: Int64 = 0
        while index < end {
            let digit = p[index] &- UInt8(ascii: "0")
            if digit > 9 { return .failure(failure(.secondsNotNumber, content, start, end, entryStart, field)) }
            if value <= Int64(Int32.max) { value = value * 10 + Int64(digit) }
            index += 1
        }
        if negative {
            return .failure(failure(.negativeSeconds, content, start, end, entryStart, field))
        }
        if value > Int64(Int32.max) {
            return .failure(failure(.secondsOverflow, content, start, end, entryStart, field))
        }
        return .success(Int32(value))
    }

    static func failure(_ kind: LoadError.Kind, _ content: StringContent, _ start: Int, _ end: Int,
                        _ entryStart: Int, _ field: String) -> ParseFailure {
        let secondsText = content.text(start ..< end)
        let entryText = content.text(entryStart ..< end)
        let message: String
        switch kind {
        case .negativeSeconds: message = "negative seconds \"\(secondsText)\" in entry \"\(entryText)\""
        case .secondsOverflow: message = "seconds \"\(secondsText)\" exceed \(Int32.max) in entry \"\(entryText)\""
        default: message = "seconds \"\(secondsText)\" are not a whole number in entry \"\(entryText)\""
        }
        return ParseFailure(kind: kind, offset: content.position(start), field: field, message: message)
    }

    /// Whether `start ..< end` looks like seconds: an optional `-` and at least one digit.
    @inline(__always)
    static func looksLikeSeconds(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Bool {
        var index = start
        if index < end && p[index] == UInt8(ascii: "-") { index += 1 }
        if index == end { return false }
        while index < end {
            if p[index] &- UInt8(ascii: "0") > 9 { return false }
            index += 1
        }
        return true
    }

    /// The failure for an entry that has no usable `:seconds` ending.
    static func missingSecondsFailure(_ content: StringContent, entryStart: Int, end: Int, lastColon: Int,
                                      field: String) -> ParseFailure {
        if lastColon >= entryStart {
            return failure(.secondsNotNumber, content, lastColon + 1, end, entryStart, field)
        }
        let entryText = content.text(entryStart ..< end)
        return ParseFailure(kind: .missingSeconds, offset: content.position(entryStart), field: field,
                            message: "entry \"\(entryText)\" has no \":seconds\"")
    }
}

/// A name that was not in the vocabulary yet; it is added when its record turns out valid.
struct PendingName {
    var itemIndex: Int
    var offset: Int
    var length: Int
    var decoded: Bool
}

/// Builds one ``WatchLists`` (titles, genres or cities) straight from bytes.
struct NameListBuilder {
    var interner: ByteInterner
    var offsets: [Int] = [0]
    var items: [Int32] = []
    var seconds: [Int32] = []
    var pending: [PendingName] = []
    /// Titles may contain commas: a comma-separated piece without a `:seconds` ending belongs to the next piece.
    let namesMayContainCommas: Bool
    let fieldName: String

    init(vocabulary: Vocabulary, fieldName: String, namesMayContainCommas: Bool) {
        interner = ByteInterner(capacity: max(vocabulary.count, 64))
        for (code, name) in vocabulary.names.enumerated() {
            interner.insertIfAbsent(Array(name.utf8), code: Int32(code))
        }
        self.fieldName = fieldName
        self.namesMayContainCommas = namesMayContainCommas
    }

    /// Reserves room for about `users` users with `entries` entries (untouched room costs no memory).
    mutating func reserve(users: Int, entries: Int) {
        offsets.reserveCapacity(users + 1)
        items.reserveCapacity(entries)
        seconds.reserveCapacity(entries)
    }

    /// Parses one user's field value, appending its entries (new names stay pending until ``commit``).
    @inline(__always)
    mutating func parse(_ content: StringContent) -> ParseFailure? {
        let p = content.pointer
        let length = content.length
        if length == 0 { return nil }
        var entryStart = 0
        var pieceStart = 0
        var lastColon = -1
        var index = 0
        while true {
            index = EntrySplitting.scanToComma(p, from: index, length: length, lastColon: &lastColon)
            let atEnd = index == length
            let value: Int32
            if lastColon >= pieceStart, let plain = EntrySplitting.plainSeconds(p, from: lastColon + 1, to: index) {
                value = plain
            } else {
                let hasSeconds = lastColon >= pieceStart && EntrySplitting.looksLikeSeconds(p, from: lastColon + 1, to: index)
                if !hasSeconds {
                    if namesMayContainCommas && !atEnd {
                        index += 1
                        pieceStart = index
                        continue
                    }
                    return EntrySplitting.missingSecondsFailure(content, entryStart: entryStart, end: index,
                                                                lastColon: lastColon, field: fieldName)
                }
                switch EntrySplitting.seconds(content, from: lastColon + 1, to: index, entryStart: entryStart, field: fieldName) {
                case .success(let parsed): value = parsed
                case .failure(let failure): return failure
                }
            }
            let nameLength = lastColon - entryStart
            if nameLength == 0 {
                return ParseFailure(kind: .emptyName, offset: content.position(entryStart), field: fieldName,
                                    message: "entry \"\(content.text(entryStart ..< index))\" has an empty name")
            }
            let namePointer = p + entryStart
            if let code = interner.code(of: namePointer, length: nameLength) {
                items.append(code)
            } else {
                if !UTF8Validation.isValid(namePointer, nameLength) {
                    return ParseFailure(kind: .invalidUTF8, offset: content.position(entryStart), field: fieldName,
                                        message: "name \"\(content.text(entryStart ..< lastColon))\" is not valid UTF-8")
                }
                pending.append(PendingName(itemIndex: items.count,
                                           offset: (content.decoded ? content.scratchOffset : content.fileOffset) + entryStart,
                                           length: nameLength, decoded: content.decoded))
                items.append(-1)
            }
            seconds.append(value)
            if atEnd { return nil }
            index += 1
            entryStart = index
            pieceStart = index
            lastColon = -1
        }
    }

    /// Ends the current user: interns its new names (in file order) and closes the row.
    mutating func commit(vocabulary: inout Vocabulary, file: UnsafePointer<UInt8>, scratch: UnsafePointer<UInt8>) {
        if !pending.isEmpty {
            for name in pending {
                let pointer = (name.decoded ? scratch : file) + name.offset
                if let code = interner.code(of: pointer, length: name.length) {
                    items[name.itemIndex] = code
                } else {
                    let text = String(decoding: UnsafeBufferPointer(start: pointer, count: name.length), as: UTF8.self)
                    let code = vocabulary.intern(text)
                    interner.insert(pointer, length: name.length, code: code)
                    items[name.itemIndex] = code
                }
            }
            pending.removeAll(keepingCapacity: true)
        }
        offsets.append(items.count)
    }

    /// Drops the current user's entries (its record is skipped).
    mutating func rollback() {
        let start = offsets[offsets.count - 1]
        if items.count > start {
            items.removeLast(items.count - start)
            seconds.removeLast(seconds.count - start)
        }
        pending.removeAll(keepingCapacity: true)
    }

    var lists: WatchLists { WatchLists(offsets: offsets, items: items, seconds: seconds) }
}

/// Builds a dense `userCount × width` seconds array from `tod` (hours 0–23) or `dow` (days 1–7).
struct DenseBuilder {
    /// Zero-filled storage, grown in large steps; rows `0 ..< rowCount` are in use (plus the open row).
    private var storage: [Int32] = []
    private(set) var rowCount = 0
    let width: Int
    let firstName: Int
    let fieldName: String
    let kind: LoadError.Kind

    init(fieldName: String, firstName: Int, width: Int, kind: LoadError.Kind) {
        self.fieldName = fieldName
        self.firstName = firstName
        self.width = width
        self.kind = kind
    }

    /// Reserves room for about `rows` users.
    mutating func reserve(rows: Int) {
        if storage.count < rows * width { storage = [Int32](repeating: 0, count: rows * width) }
    }

    /// Opens a zeroed row for the next user.
    @inline(__always)
    mutating func beginRow() {
        if storage.count < (rowCount + 1) * width {
            storage.append(contentsOf: [Int32](repeating: 0, count: max(storage.count, 1024 * width)))
        }
    }

    /// Keeps the open row.
    @inline(__always)
    mutating func commitRow() { rowCount += 1 }

    /// Clears the open row (its record is skipped).
    mutating func rollback() {
        for slot in rowCount * width ..< (rowCount + 1) * width { storage[slot] = 0 }
    }

    /// The committed rows, `rowCount × width` (the builder is spent afterwards).
    mutating func takeValues() -> [Int32] {
        storage.removeLast(storage.count - rowCount * width)
        defer { storage = [] }
        return storage
    }

    /// Parses one user's field value into the open row.
    @inline(__always)
    mutating func parse(_ content: StringContent) -> ParseFailure? {
        if content.length == 0 { return nil }
        let rowStart = rowCount * width
        let fields = (fieldName, firstName, width, kind)
        return storage.withUnsafeMutableBufferPointer { buffer in
            Self.parse(content, into: buffer.baseAddress! + rowStart, fields)
        }
    }

    /// Parses `content` into one zeroed row of `width` seconds.
    @inline(__always)
    private static func parse(_ content: StringContent, into row: UnsafeMutablePointer<Int32>,
                              _ fields: (fieldName: String, firstName: Int, width: Int, kind: LoadError.Kind)) -> ParseFailure? {
        let (fieldName, firstName, width, kind) = fields
        let p = content.pointer
        let length = content.length
        var seen: UInt32 = 0
        var entryStart = 0
        var index = 0
        while true {
            var lastColon = -1
            index = EntrySplitting.scanToComma(p, from: index, length: length, lastColon: &lastColon)
            let value: Int32
            if lastColon >= 0, let plain = EntrySplitting.plainSeconds(p, from: lastColon + 1, to: index) {
                value = plain
            } else {
                if lastColon < 0 || !EntrySplitting.looksLikeSeconds(p, from: lastColon + 1, to: index) {
                    return EntrySplitting.missingSecondsFailure(content, entryStart: entryStart, end: index,
                                                                lastColon: lastColon, field: fieldName)
                }
                switch EntrySplitting.seconds(content, from: lastColon + 1, to: index, entryStart: entryStart, field: fieldName) {
                case .success(let parsed): value = parsed
                case .failure(let failure): return failure
                }
            }
            // The name must be a small whole number in range.
            var name = 0
            var nameIsNumber = lastColon > entryStart && lastColon - entryStart <= 3
            if nameIsNumber {
                for position in entryStart ..< lastColon {
                    let digit = p[position] &- UInt8(ascii: "0")
                    if digit > 9 { nameIsNumber = false; break }
                    name = name * 10 + Int(digit)
                }
            }
            let slot = name - firstName
            if !nameIsNumber || slot < 0 || slot >= width {
                let nameText = content.text(entryStart ..< lastColon)
                let range = kind == .badHour ? "an hour 0–23" : "a day 1–7"
                return ParseFailure(kind: kind, offset: content.position(entryStart), field: fieldName,
                                    message: "\"\(nameText)\" in entry \"\(content.text(entryStart ..< index))\" is not \(range)")
            }
            if seen & (1 << UInt32(slot)) != 0 {
                let what = kind == .badHour ? "hour" : "day"
                return ParseFailure(kind: .duplicateEntry, offset: content.position(entryStart), field: fieldName,
                                    message: "\(what) \(name) appears twice (entry \"\(content.text(entryStart ..< index))\")")
            }
            seen |= 1 << UInt32(slot)
            row[slot] = value
            if index == length { return nil }
            index += 1
            entryStart = index
        }
    }
}

/// UTF-8 validation (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
enum UTF8Validation {
    static func isValid(_ p: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        var index = 0
        while index < length {
            let lead = p[index]
            if lead < 0x80 { index += 1; continue }
            var continuationCount = 0
            var secondLow: UInt8 = 0x80
            var secondHigh: UInt8 = 0xBF
            switch lead {
            case 0xC2 ... 0xDF: continuationCount = 1
            case 0xE0: continuationCount = 2; secondLow = 0xA0
            case 0xE1 ... 0xEC, 0xEE ... 0xEF: continuationCount = 2
            case 0xED: continuationCount = 2; secondHigh = 0x9F
            case 0xF0: continuationCount = 3; secondLow = 0x90
            case 0xF1 ... 0xF3: continuationCount = 3
            case 0xF4: continuationCount = 3; secondHigh = 0x8F
            default: return false
            }
            if index + continuationCount >= length { return false }
            let second = p[index + 1]
            if second < secondLow || second > secondHigh { return false }
            if continuationCount >= 2 && (p[index + 2] & 0xC0) != 0x80 { return false }
            if continuationCount == 3 && (p[index + 3] & 0xC0) != 0x80 { return false }
            index += continuationCount + 1
        }
        return true
    }
}
