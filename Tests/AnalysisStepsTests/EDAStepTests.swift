import ChartRenderer
import Foundation
import Testing
import Pipeline
import Reporting
import SegmentData
import SyntheticData
@testable import AnalysisSteps

/// Runs `step` on `data` in a fresh temporary report folder; returns the output folder.
func runEDA(_ step: EDAStep, on data: WatchData) throws -> URL {
    let root = FileManager.default.temporaryDirectory
        .appendingPathComponent("eda-test-\(UUID().uuidString)", isDirectory: true)
    let output = root.appendingPathComponent("eda", isDirectory: true)
    let artifacts = root.appendingPathComponent(".artifacts/eda", isDirectory: true)
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
    let context = StepContext(stepName: EDAStep.name, seed: 1, reportDirectory: root, outputDirectory: output,
                              artifactDirectory: artifacts, options: StepOptions(out: root.path, seed: 1), data: { data })
    try step.run(in: context)
    return output
}

@Suite struct EDAStepTests {
    @Test func handBuiltRunWritesSectionAndTables() throws {
        let output = try runEDA(try EDAStep(minimumViewers: 1), on: handBuiltWatchData())
        defer { try? FileManager.default.removeItem(at: output.deletingLastPathComponent()) }
        let section = try JSONDecoder().decode(
            SectionDocument.self, from: Data(contentsOf: output.appendingPathComponent("section.json")))
        #expect(section.step == "eda")
        #expect(section.summary.contains("4 labelled users (50.0 % pos) and 1 unlabelled users"))
        #expect(section.summary.contains("The most telling genre is Drama: watched by 100 % of pos users and 0 % of neg users."))
        // Ties in separation are broken by name: cricket share (AUC 0) before record id number (AUC 0).
        #expect(section.summary.contains("The strongest simple feature alone is cricket share: AUC 0.000, i.e. it separates the segments with AUC 1.000 (higher → neg)."))
        let paragraphs = section.blocks.compactMap { block -> String? in
            if case .paragraph(let text) = block { return text } else { return nil }
        }.joined(separator: " ")
        #expect(paragraphs.contains("Median total watch time is 0.02 h for pos users and 0.04 h for neg users"))
        #expect(paragraphs.contains("Drama has the highest positive rate (100.0 %"))
        #expect(paragraphs.contains("and Cricket the lowest (33.3 %)"))
        // Findings only: users and positive rate are the report's data line, not EDA highlights.
        #expect(section.highlights.map(\.label) == ["most telling genre"])
        // Drama (AUC 1.0) separates best; Cricket (0.25) less.
        #expect(section.highlights[0].value.hasPrefix("Drama (100 % of pos, 0 % of neg)"))
        for table in EDATable.allCases {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(table.rawValue).path))
        }
        let titleCSV = try String(contentsOf: output.appendingPathComponent("title-lift.csv"), encoding: .utf8)
        #expect(titleCSV.hasPrefix("title,pos viewers,neg viewers,test viewers,"))
        #expect(titleCSV.contains("\nC<&>,0,1,1,0.00000,0.0000,"))  // names kept as data
        // Every table block references a CSV written by the step, and every figure exists.
        for block in section.blocks {
            switch block {
            case .table(let table):
                let path = try #require(table.csvPath)
                #expect(path.hasPrefix("eda/"))
                #expect(table.rows.allSatisfy { $0.count == table.columns.count })
            case .figure(let figure):
                #expect(FileManager.default.fileExists(
                    atPath: output.deletingLastPathComponent().appendingPathComponent(figure.path).path))
            default: break
            }
        }
        let headings = section.blocks.compactMap { block -> String? in
            if case .heading(let text) = block { return text } else { return nil }
        }
        #expect(headings == ["Data overview", "How much users watch", "Genres", "When users watch",
                             "Titles and cities", "Simple features against the target"])
    }

    /// On a small built-in data set (generated, written and loaded like the real files): every
    /// figure is written and decodes as a PNG of the expected shape; every table exists; the
    /// synthetic data's planted cricket effect is found.
    @Test func builtinSmallDataRunWritesDecodablePNGs() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("eda-builtin-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try BuiltinDataset.ensure(
            in: folder, configuration: .small(trainUserCount: 3_000, testUserCount: 1_000), seed: 2017)
        let data = try WatchDataLoader.load(train: files.train, test: files.test)
        #expect(data.train.userCount == 3_000)
        let output = try runEDA(EDAStep(), on: data)
        defer {
            if ProcessInfo.processInfo.environment["EDA_TEST_KEEP"] == nil {
                try? FileManager.default.removeItem(at: output.deletingLastPathComponent())
            } else {
                print("EDA output kept in \(output.path)")
            }
        }
        let section = try JSONDecoder().decode(
            SectionDocument.self, from: Data(contentsOf: output.appendingPathComponent("section.json")))
        let figurePaths = section.blocks.compactMap { block -> String? in
            if case .figure(let figure) = block { return figure.path } else { return nil }
        }
        #expect(Set(figurePaths) == Set(EDAFigure.allCases.map { "eda/\($0.rawValue)" }))
        for figure in EDAFigure.allCases {
            let bytes = try [UInt8](Data(contentsOf: output.appendingPathComponent(figure.rawValue)))
            let decoded = try #require(DecodedPNG(data: bytes), "\(figure.rawValue) does not decode as PNG")
            #expect(decoded.width >= 960 && decoded.height >= 480)
        }
        for table in EDATable.allCases {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(table.rawValue).path))
        }
        let tables = section.blocks.compactMap { block -> SectionDocument.Table? in
            if case .table(let table) = block { return table } else { return nil }
        }
        #expect(tables.count == 6)
        #expect(tables.allSatisfy { !$0.rows.isEmpty })
        #expect(section.highlights.count == 1)
        let telling = try #require(section.highlights.last)
        #expect(telling.value.hasPrefix("Cricket"))
    }

    @Test func rejectsANonPositiveMinimum() {
        #expect(throws: EDAConfigurationError.minimumViewers(0)) { try EDAStep(minimumViewers: 0) }
        #expect(EDAConfigurationError.minimumViewers(-3).description.contains("-3"))
        #expect(EDAStep().minimumViewers == 50)
    }

    @Test func csvQuotesOnlyWhatNeedsIt() {
        var table = CSVTable(columns: ["name", "value"])
        table.rows = [["Star Plus ", "1"], ["a,b", "2"], ["say \"hi\"", "3"], ["<b>&", "4"]]
        #expect(table.text == "name,value\nStar Plus ,1\n\"a,b\",2\n\"say \"\"hi\"\"\",3\n<b>&,4\n")
    }

    @Test func numberFormats() {
        #expect(EDAFormat.count(200_000) == "200,000")
        #expect(EDAFormat.count(999) == "999")
        #expect(EDAFormat.count(-1_234_567) == "-1,234,567")
        #expect(EDAFormat.percent(0.076275, digits: 2) == "7.63 %")
        #expect(EDAFormat.hours(6743) == "1.9 h")
        #expect(EDAFormat.hours(90) == "0.03 h")
        #expect(EDAFormat.hours(200_000) == "56 h")
        #expect(EDAFormat.value(5) == "5" && EDAFormat.value(0.25) == "0.250")
    }
}
