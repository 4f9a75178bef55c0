import Charts
import ChartRenderer
import FeatureEngineering
import Foundation
import Pipeline
import Reporting

/// The importance step's report section.
struct ImportanceSection {
    var model: CandidateID
    var names: [String]
    var families: [FeatureFamily]
    var gain: [Double]
    var columns: [ColumnImportance]
    var familyResults: [FamilyImportance]
    var baselineAUC: Double
    var repeatCount: Int
    var heldOutSampleSize: Int
    var foldCount: Int

    func write(context: StepContext) throws {
        let topGain = gain.indices.filter { gain[$0] > 0 }.sorted { gain[$0] > gain[$1] }.prefix(25)
        let byDrop = columns.sorted { $0.permutationDrop.meanDrop > $1.permutationDrop.meanDrop }
        let familiesByDrop = familyResults.sorted { $0.permutationDrop.meanDrop > $1.permutationDrop.meanDrop }

        var batch = FigureBatch(context: context)
        batch.add(Chart.horizontalBars(topGain.map { (readableFeatureName(names[$0]), gain[$0]) },
                                 title: "Split-gain importance", subtitle: "\(model.displayName), share of total gain, mean of \(foldCount) fold models",
                                 valueTitle: "share of total split gain", format: .percent()),
            "gain-importance.png", "The 25 columns with the largest share of split gain in the fold models of \(model.displayName).")
        batch.add(Chart.rateBars(byDrop.map { RateBar(category: readableFeatureName($0.name), rate: $0.permutationDrop.meanDrop,
                                                 low: $0.permutationDrop.meanDrop - $0.permutationDrop.standardDeviation,
                                                 high: $0.permutationDrop.meanDrop + $0.permutationDrop.standardDeviation) },
                           title: "Permutation importance on held-out folds",
                           subtitle: "AUC drop when one column is shuffled; whiskers ± 1 SD over \(foldCount) folds × \(repeatCount) repeats",
                           valueTitle: "drop in held-out AUC", format: .fixed(3), horizontal: true),
            "permutation-importance.png", "Held-out AUC lost when each of the strongest columns is shuffled (only the fold each model did not see).")
        batch.add(Chart.rateBars(familiesByDrop.map { RateBar(category: $0.family.title, rate: $0.permutationDrop.meanDrop,
                                                         low: $0.permutationDrop.meanDrop - $0.permutationDrop.standardDeviation,
                                                         high: $0.permutationDrop.meanDrop + $0.permutationDrop.standardDeviation) },
                           title: "Importance by feature family",
                           subtitle: "held-out AUC drop when all of a family's columns are shuffled together; whiskers ± 1 SD",
                           valueTitle: "drop in held-out AUC", format: .fixed(3), horizontal: true),
            "family-importance.png", "Held-out AUC lost when all columns of a feature family are shuffled together (the table gives each family's share of split gain too).")
        let figures = try batch.render()

        var blocks: [SectionDocument.Block] = []
        let topFamily = familiesByDrop.first
        let topColumn = byDrop.first
        var sentence = "On held-out folds \(model.displayName) reaches an AUC of \(String(format: "%.4f", baselineAUC)) (on samples of at most \(heldOutSampleSize.formatted()) users per fold)."
        if let topFamily {
            sentence += " Shuffling the \(topFamily.family.title.lowercased()) family costs the most, \(String(format: "%.4f", topFamily.permutationDrop.meanDrop)) AUC"
            if familiesByDrop.count > 1 {
                let second = familiesByDrop[1]
                sentence += ", ahead of \(second.family.title.lowercased()) (\(String(format: "%.4f", second.permutationDrop.meanDrop)))"
            }
            sentence += "."
        }
        if let topColumn {
            sentence += " The single most important column is \(readableFeatureName(topColumn.name)) (AUC drop \(String(format: "%.4f", topColumn.permutationDrop.meanDrop)), \(String(format: "%.1f", topColumn.gainShare * 100)) % of split gain)."
        }
        blocks.append(.paragraph(sentence))
        blocks.append(.paragraph("Split gain says where the trees split and how much each split improved the training loss; permutation importance says how much held-out ranking quality depends on a column. Columns that carry the same information (a genre's seconds and its share) share the credit in gain and hide each other under single-column permutation, which is why families are also shuffled as a whole."))
        blocks += figures.map { .figure($0) }
        blocks.append(.table(.init(
            caption: "Feature families (gain summed; permutation of the whole family on held-out folds)",
            columns: ["Family", "Columns", "Share of gain", "AUC drop", "± SD"],
            rows: familiesByDrop.map { [$0.family.title, String($0.columnCount), String(format: "%.1f %%", $0.gainShare * 100),
                                         String(format: "%.4f", $0.permutationDrop.meanDrop), String(format: "%.4f", $0.permutationDrop.standardDeviation)] },
            numericColumns: [1, 2, 3, 4])))
        blocks.append(.table(.init(
            caption: "Strongest columns by permutation importance",
            columns: ["Column", "Family", "AUC drop", "± SD", "Share of gain", "Splits per model"],
            rows: byDrop.map { [readableFeatureName($0.name), $0.family.title, String(format: "%.4f", $0.permutationDrop.meanDrop),
                                String(format: "%.4f", $0.permutationDrop.standardDeviation), String(format: "%.1f %%", $0.gainShare * 100),
                                String(format: "%.0f", $0.splitCount)] },
            numericColumns: [2, 3, 4, 5], csvPath: "importance/columns.csv")))
        try writeCSV(context: context)

        var highlights: [SectionDocument.Highlight] = []
        if let topFamily { highlights.append(.init(label: "Most important family", value: topFamily.family.title)) }
        highlights.append(.init(label: "Top features", value: byDrop.prefix(3).map { readableFeatureName($0.name) }.joined(separator: "; ")))
        try context.writeSection(SectionDocument(
            step: ImportanceStep.name, title: ImportanceStep.title,
            summary: topFamily.map { "What \(model.displayName) relies on most: \($0.family.title.lowercased())." } ?? "Feature importance of \(model.displayName).",
            blocks: blocks, highlights: highlights))
    }

    private func writeCSV(context: StepContext) throws {
        let measured = Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0) })
        let rows = names.indices.map { i -> [String] in
            let m = measured[names[i]]
            return [names[i], families[i].rawValue, String(format: "%.6f", gain[i]),
                    m.map { String(format: "%.1f", $0.splitCount) } ?? "",
                    m.map { String(format: "%.6f", $0.permutationDrop.meanDrop) } ?? "",
                    m.map { String(format: "%.6f", $0.permutationDrop.standardDeviation) } ?? ""]
        }
        try CSVTable(columns: ["column", "family", "gain_share", "split_count", "permutation_auc_drop", "permutation_sd"], rows: rows)
            .write(to: context.outputFile("columns.csv").url)
    }
}
