import Core
import Foundation

/// JSON string escaping as Python's `json.dump` does it (`ensure_ascii`): `"` and `\` escaped, control
/// characters and every non-ASCII character written as `\uXXXX` (surrogate pairs above U+FFFF).
enum JSONText {
    static func escaped(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        func appendUnit(_ unit: UInt16) {
            bytes.append(contentsOf: Array("\\u".utf8))
            for shift in stride(from: 12, through: 0, by: -4) {
                bytes.append(Array("0123456789abcdef".utf8)[Int((unit >> UInt16(shift)) & 0xF)])
            }
        }
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
            case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
            case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
            case 0 ..< 0x20, 0x80 ... 0xFFFF: appendUnit(UInt16(scalar.value))
            case 0x10000...:
                let value = scalar.value - 0x10000
                appendUnit(UInt16(0xD800 + (value >> 10)))
                appendUnit(UInt16(0xDC00 + (value & 0x3FF)))
            default: bytes.append(UInt8(scalar.value))
            }
        }
        return bytes
    }
}

/// Appends ASCII text and decimal numbers to a byte buffer.
extension Array where Element == UInt8 {
    @inline(__always) mutating func appendASCII(_ text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }

    @inline(__always) mutating func appendDecimal(_ value: Int) {
        if value < 10 { append(UInt8(48 + value)); return }
        var divisor = 10
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            append(UInt8(48 + rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}

extension SyntheticGenerator {
    /// The bytes of one user's record: `"train-7":{"genres":"…",…}`.
    func appendRecord(_ file: SyntheticFile, id: Int, scratch: inout UserScratch, to bytes: inout [UInt8]) {
        let user = generateUser(file, id: id, scratch: &scratch)
        bytes.append(0x22)
        if file == .train { bytes.appendASCII("train-") } else { bytes.appendASCII("test-") }
        bytes.appendDecimal(id)
        bytes.appendASCII("\":{\"genres\":\"")
        appendEntries(user.genres, names: genreBytes, to: &bytes)
        bytes.appendASCII("\",\"titles\":\"")
        appendEntries(user.titles, names: titleBytes, to: &bytes)
        if file == .train {
            bytes.appendASCII("\",\"cities\":\"")
            appendEntries(user.cities, names: cityBytes, to: &bytes)
            bytes.appendASCII(user.positive ? "\",\"segment\":\"pos\",\"dow\":\"" : "\",\"segment\":\"neg\",\"dow\":\"")
            appendNumbered(user.days, offset: 1, to: &bytes)
            bytes.appendASCII("\",\"tod\":\"")
            appendNumbered(user.hours, offset: 0, to: &bytes)
        } else {
            bytes.appendASCII("\",\"tod\":\"")
            appendNumbered(user.hours, offset: 0, to: &bytes)
            bytes.appendASCII("\",\"cities\":\"")
            appendEntries(user.cities, names: cityBytes, to: &bytes)
            bytes.appendASCII("\",\"dow\":\"")
            appendNumbered(user.days, offset: 1, to: &bytes)
        }
        bytes.appendASCII("\"}")
    }

    private func appendEntries(_ entries: [(item: Int, seconds: Int)], names: [[UInt8]], to bytes: inout [UInt8]) {
        for (index, entry) in entries.enumerated() {
            if index > 0 { bytes.append(0x2C) }
            bytes.append(contentsOf: names[entry.item])
            bytes.append(0x3A)
            bytes.appendDecimal(entry.seconds)
        }
    }

    private func appendNumbered(_ entries: [(item: Int, seconds: Int)], offset: Int, to bytes: inout [UInt8]) {
        for (index, entry) in entries.enumerated() {
            if index > 0 { bytes.append(0x2C) }
            bytes.appendDecimal(entry.item + offset)
            bytes.append(0x3A)
            bytes.appendDecimal(entry.seconds)
        }
    }

    /// The complete JSON file for `file`, built in parallel chunks and assembled in file (dict) order.
    public func jsonBytes(_ file: SyntheticFile) -> [UInt8] {
        let count = userCount(file)
        let chunkCount = min(count, 64)
        let chunks = parallelMap(count: chunkCount) { chunk -> (bytes: [UInt8], starts: [Int]) in
            let first = 1 + chunk * count / chunkCount, last = (chunk + 1) * count / chunkCount
            var bytes: [UInt8] = []
            bytes.reserveCapacity((last - first + 1) * 640)
            var starts: [Int] = []
            starts.reserveCapacity(last - first + 2)
            var scratch = UserScratch()
            for id in first ... last {
                starts.append(bytes.count)
                appendRecord(file, id: id, scratch: &scratch, to: &bytes)
            }
            starts.append(bytes.count)
            return (bytes, starts)
        }
        var output: [UInt8] = []
        output.reserveCapacity(chunks.reduce(2) { $0 + $1.bytes.count + $1.starts.count })
        output.append(0x7B)
        let chunkOfFirstID = (0 ..< chunkCount).map { 1 + $0 * count / chunkCount }
        for (position, id) in fileOrder(file).enumerated() {
            if position > 0 { output.append(0x2C) }
            // Chunk c holds ids chunkOfFirstID[c] ... chunkOfFirstID[c + 1] - 1.
            var chunk = (id - 1) * chunkCount / count
            while chunk + 1 < chunkCount && chunkOfFirstID[chunk + 1] <= id { chunk += 1 }
            while chunkOfFirstID[chunk] > id { chunk -= 1 }
            let local = id - chunkOfFirstID[chunk]
            let starts = chunks[chunk].starts
            chunks[chunk].bytes.withUnsafeBufferPointer { buffer in
                output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[starts[local] ..< starts[local + 1]]))
            }
        }
        output.append(0x7D)
        return output
    }

    /// `ID,segment` then every test id in file order with a random value (like the real sample submission).
    public func sampleSubmissionBytes() -> [UInt8] {
        var random = SeededRandomGenerator(seed: seed, stream: 0x5B_417)
        var bytes: [UInt8] = Array("ID,segment\n".utf8)
        for id in fileOrder(.test) {
            bytes.appendASCII("test-")
            bytes.appendDecimal(id)
            bytes.appendASCII(",0.")
            let value = Int(random.uniform() * 1e15)
            var digits = Array(String(value).utf8)
            digits = Array(repeating: 0x30, count: max(0, 15 - digits.count)) + digits
            while digits.count > 1 && digits.last == 0x30 { digits.removeLast() }
            bytes.append(contentsOf: digits)
            bytes.append(0x0A)
        }
        return bytes
    }

    /// Writes `train_data.json`, `test_data.json` and `sample_submission.csv` into `directory` (created if needed), each file atomically.
    public func write(to directory: URL) throws -> BuiltinFiles {
        try configuration.validate()
        let files = BuiltinFiles(directory: directory)
        do {
            try AtomicFile.write(Data(jsonBytes(.train)), to: files.train)
            try AtomicFile.write(Data(jsonBytes(.test)), to: files.test)
            try AtomicFile.write(Data(sampleSubmissionBytes()), to: files.sampleSubmission)
        } catch {
            throw SyntheticDataError.writeFailed(path: directory.path, reason: "\(error)")
        }
        return files
    }
}
