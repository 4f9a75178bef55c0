import Foundation
import Reporting
import Testing

@Test func atomicWriteCreatesReplacesAndLeavesNoTemporaryFiles() throws {
    let folder = try TemporaryFolder()
    let target = folder.url.appendingPathComponent("nested/deeper/out.txt")
    try AtomicFile.write("first", to: target)
    #expect(try String(contentsOf: target, encoding: .utf8) == "first")
    try AtomicFile.write("second, longer content", to: target)
    #expect(try String(contentsOf: target, encoding: .utf8) == "second, longer content")
    let entries = try FileManager.default.contentsOfDirectory(atPath: target.deletingLastPathComponent().path)
    #expect(entries == ["out.txt"])
}

@Test func atomicReplaceReportsTheFailingPath() throws {
    let folder = try TemporaryFolder()
    let missing = folder.file("does-not-exist")
    #expect {
        try AtomicFile.replace(folder.file("target"), with: missing)
    } throws: { error in
        String(describing: error).contains("does-not-exist")
    }
}
