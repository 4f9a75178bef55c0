import Foundation

/// Whole-file checks made once a file is parsed: it has users, and a labelled file has both segments.
enum LoadChecks {
    /// Throws ``LoadError/Kind/noUsers`` for a file without users and ``LoadError/Kind/singleClass`` for a
    /// labelled file whose users all have one segment (the models would report AUC nan).
    static func requireUsersAndBothClasses(_ table: UserTable, url: URL, labelled: Bool,
                                           skippedCount: Int) throws(LoadError) {
        let fileName = url.lastPathComponent
        if table.userCount == 0 {
            let note = skippedCount > 0 ? " (all \(formatted(skippedCount)) records were skipped as invalid)" : ""
            throw LoadError(file: fileName, kind: .noUsers, message: "no users in the file \(url.path)\(note)")
        }
        guard labelled, let segments = table.segments else { return }
        let positiveCount = segments.reduce(0) { $0 + Int($1.rawValue) }
        guard positiveCount == 0 || positiveCount == segments.count else { return }
        let segment = positiveCount == 0 ? "neg" : "pos"
        let users = segments.count == 1 ? "the only user has" : "all \(formatted(segments.count)) users have"
        throw LoadError(file: fileName, kind: .singleClass,
                        message: "\(users) segment \(segment); the segment must have both classes to train a model (\(url.path))")
    }

    /// `1234567` as `1,234,567`.
    static func formatted(_ count: Int) -> String {
        let digits = Array(String(count))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }
}
