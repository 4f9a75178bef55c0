/// Decides which record fields the format does not name are accepted (and ignored) and which are refused.
///
/// A newer export may add fields (e.g. `"device": "android:3"`); those load and are listed in the EDA's
/// data-quality section. Refused stay: a name that looks like a misspelt known field (same letters in
/// another case, or within two edits of one, one edit for `dow` and `tod`), which would otherwise silently lose data, and a value
/// that is an object or an array (a misplaced user, e.g. after a missing closing brace).
enum ExtraFields {
    static let knownNames = ["genres", "titles", "cities", "segment", "dow", "tod"]

    /// Why the extra field `name` (whose value starts with `valueByte`) is refused, or `nil` to accept it.
    static func refusal(of name: String, valueByte: UInt8, labelled: Bool) -> String? {
        let expected = labelled ? "genres, titles, cities, segment, dow or tod" : "genres, titles, cities, dow or tod (segment optional)"
        if valueByte == UInt8(ascii: "{") || valueByte == UInt8(ascii: "[") {
            return "unknown field \"\(name)\" holds an object or array (expected \(expected); extra fields must be plain values)"
        }
        let lowered = Array(name.lowercased().utf8)
        if let near = knownNames.first(where: { editDistance(lowered, Array($0.utf8)) <= ($0.count >= 5 ? 2 : 1) }) {
            return "unknown field \"\(name)\" looks like a misspelt \"\(near)\" (expected \(expected))"
        }
        return nil
    }

    /// Levenshtein distance between two byte strings (names are short; this runs only for extra fields).
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0 ... b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1 ... a.count {
            current[0] = i
            for j in 1 ... b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
