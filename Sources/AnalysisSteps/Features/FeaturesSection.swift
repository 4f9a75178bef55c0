import ChartRenderer
import Charts
import FeatureEngineering
import Foundation
import Learning
import Pipeline
import Reporting
import SegmentData

extension FeaturesStep {
    /// Writes `section.json`, the column CSV and the figure.
    func writeSection(context: StepContext, data: WatchData, features: FeatureSet, summaries: [FamilySummary],
                      columnAUCs: [ColumnAUC], titleVectorizer: TfidfVectorizer, tokenVectorizer: TfidfVectorizer,
                      sparse: (titles: Int, tokens: Int), clusterColumnCount: Int, prior: Double) throws {
        var blocks: [SectionDocument.Block] = []
        let bestByFamily = Dictionary(grouping: columnAUCs, by: \.family).mapValues { $0.max { $0.auc < $1.auc }! }
        let ranked = columnAUCs.sorted { $0.auc > $1.auc }
        let savedDenseCount = features.matrix.columnCount - features.columns(of: [.titleTarget]).count
        let userCount = data.train.userCount + data.test.userCount

        blocks.append(.paragraph(
            "Every user becomes one row of \(savedDenseCount) dense columns in \(Set(features.families).count - 1) families, "
            + "plus two sparse TF-IDF matrices: a bag of \(titleVectorizer.columnCount.formatted()) titles and an all-tokens matrix of "
            + "\(tokenVectorizer.columnCount.formatted()) tokens (titles, genres, cities, hours and days). Train and test rows are built "
            + "the same way from the shared vocabularies. The table gives each family's size, its most variable column with its "
            + "mean, standard deviation and range (on at most 20,000 evenly spaced train rows), and the AUC of the family's best "
            + "single column used alone as a score on \(min(aucSampleSize, data.train.userCount).formatted()) train users "
            + "(oriented so that 0.5 is chance and 1 is perfect)."))
        blocks.append(.heading("Feature families"))
        let familyRows: [[String]] = summaries.map { s in
            let best = bestByFamily[s.family]
            return [s.family.title, String(s.columnCount), s.exampleColumns.joined(separator: ", "), s.sampleColumn,
                    fmt(s.sampleMean), fmt(s.sampleStandardDeviation), "\(fmt(s.sampleMinimum)) – \(fmt(s.sampleMaximum))",
                    best.map { "\($0.name) (\(String(format: "%.3f", $0.auc)))" } ?? "–"]
        }
        blocks.append(.table(.init(
            caption: "Dense feature families: size, a sample column and the best single column's AUC",
            columns: ["Family", "Columns", "Example columns", "Most variable column", "Mean", "SD", "Range", "Best column (AUC)"],
            rows: familyRows, numericColumns: [1, 4, 5, 6])))
        blocks.append(.list(FeatureFamily.allCases.filter { f in summaries.contains { $0.family == f } }
            .map { "\($0.title): \($0.explanation)" }))

        if let figure = try drawFamilyAUCChart(context: context, bestByFamily: bestByFamily,
                                                 sampleCount: min(aucSampleSize, data.train.userCount)) {
            blocks.append(.figure(figure))
        }

        blocks.append(.heading("Strongest single columns"))
        blocks.append(.table(.init(
            caption: "The 20 columns that rank train users best on their own (direction: + means larger values mean more pos)",
            columns: ["Column", "Family", "AUC", "Direction"],
            rows: ranked.prefix(20).map { [$0.name, $0.family.title, String(format: "%.3f", $0.auc), $0.direction > 0 ? "+" : "−"] },
            numericColumns: [2], csvPath: "\(Self.name)/columns.csv")))
        try writeColumnCSV(context: context, features: features, columnAUCs: columnAUCs)

        blocks += sparseMatrixBlocks(titleVectorizer: titleVectorizer, tokenVectorizer: tokenVectorizer, sparse: sparse,
                                     userCount: userCount)
        blocks += decisionBlocks(prior: prior, clusterColumnCount: clusterColumnCount)

        let best = ranked.first
        let summary = "\(savedDenseCount) dense columns, \(titleVectorizer.columnCount.formatted()) title and "
            + "\(tokenVectorizer.columnCount.formatted()) all-token TF-IDF columns for \(userCount.formatted()) users. "
            + (best.map { "The strongest single column is \($0.name) (AUC \(String(format: "%.3f", $0.auc)))." } ?? "")
        var highlights = [SectionDocument.Highlight(label: "dense feature columns", value: String(savedDenseCount)),
                          .init(label: "all-token TF-IDF columns", value: tokenVectorizer.columnCount.formatted())]
        if let best { highlights.append(.init(label: "best single feature AUC", value: "\(String(format: "%.3f", best.auc)) (\(best.name))")) }
        try context.writeSection(SectionDocument(step: Self.name, title: Self.title, summary: summary, blocks: blocks,
                                                 highlights: highlights))
    }

    /// The sparse TF-IDF matrices' table and the weighting paragraph.
    func sparseMatrixBlocks(titleVectorizer: TfidfVectorizer, tokenVectorizer: TfidfVectorizer, sparse: (titles: Int, tokens: Int),
                            userCount: Int) -> [SectionDocument.Block] {
        var blocks: [SectionDocument.Block] = []
        blocks.append(.heading("Sparse matrices"))
        blocks.append(.table(.init(
            caption: "TF-IDF matrices (train + test)",
            columns: ["Matrix", "Columns", "Non-zeros", "Tokens per user"],
            rows: [["Bag of titles", EDAFormat.count(titleVectorizer.columnCount), EDAFormat.count(sparse.titles),
                    String(format: "%.1f", Double(sparse.titles) / Double(max(1, userCount)))],
                   ["All tokens", EDAFormat.count(tokenVectorizer.columnCount), EDAFormat.count(sparse.tokens),
                    String(format: "%.1f", Double(sparse.tokens) / Double(max(1, userCount)))]],
            numericColumns: [1, 2, 3])))
        blocks.append(.paragraph(
            "Term frequency: a token watched for s seconds weighs 1 + ln(1 + s/60), sublinear in minutes, and an entry of 0 seconds "
            + "still weighs 1, so presence always counts (`presence` weighting is available). IDF is scikit-learn's smooth "
            + "ln((1 + n)/(1 + df)) + 1, fitted on \(idfFit == .trainAndTest ? "train and test users together (unsupervised: no labels are used)" : "train users only"); "
            + "tokens held by fewer than \(minimumDocumentFrequency) users are dropped; rows are scaled to unit length."))
        return blocks
    }

    /// The section's "Decisions" heading and list.
    func decisionBlocks(prior: Double, clusterColumnCount: Int) -> [SectionDocument.Block] {
        var blocks: [SectionDocument.Block] = []
        blocks.append(.heading("Decisions"))
        blocks.append(.list([
            "Out-of-fold title statistics: each title's positive rate is smoothed towards the prior with an m-estimate, (pos + m·prior)/(users + m) with m = \(fmt(titleTargetSmoothing)), "
                + "and fitted without the user's own fold, so a user's label never reaches its own features; test rows use rates fitted on all train users (prior \(String(format: "%.4f", prior))). "
                + "They depend on the cross-validation folds, so they are not saved here: the models step recomputes them with its own folds. The AUCs above use 5 stratified folds of this step.",
            latentTasteDecision(),
            "Cluster features (\(clusterColumnCount) columns: one-hot membership and distance to each centre) come from the clustering step's artifacts and are appended to the saved dense matrix here, so the models step loads a single dense matrix.",
            "id_number is the integer in the record id. It is saved for the leak check only: no model reads it unless ModelSettings.includeRecordID is set (a labelled leak check), and the EDA reports its single-column AUC against the segment.",
            "Weekend means days 6 and 7; the files do not say which weekday day 1 is, Monday is assumed.",
            "Saved artifacts (little-endian binary with a JSON header of column names, families and row ids): dense-train.bin, dense-test.bin, titles-tfidf-{train,test}.bin, tokens-tfidf-{train,test}.bin.",
        ]))
        return blocks
    }

    /// One sentence on how the latent-taste columns were fitted (from the step's settings).
    func latentTasteDecision() -> String {
        let settings = latentTastes
        let svd = settings.svdComponentCount > 0
            ? "the leading \(settings.svdComponentCount) truncated-SVD components of the \(settings.svdInput == .titles ? "bag-of-titles" : "all-tokens") TF-IDF (randomized, \(settings.svdPowerIterationCount) power iterations)"
            : nil
        let topics = settings.topicCount > 0
            ? "the shares of \(settings.topicCount) topics of a Kullback–Leibler non-negative factorisation (PLSA) of the user × title \(settings.topicTermFrequency == .presence ? "presence" : "log-seconds") matrix (\(settings.topicIterationCount) multiplicative-update iterations)"
            : nil
        let parts = [svd, topics].compactMap { $0 }
        guard !parts.isEmpty else { return "Latent tastes are switched off (no SVD components, no topics)." }
        return "Latent tastes: " + parts.joined(separator: " and ")
            + ", fitted on train and test users together without labels (test users' histories are given, so this is unsupervised use of them, like the IDF)."
    }

    func writeColumnCSV(context: StepContext, features: FeatureSet, columnAUCs: [ColumnAUC]) throws {
        let table = CSVTable(columns: ["column", "family", "auc", "direction"], rows: columnAUCs.map {
            [$0.name, $0.family.rawValue, String(format: "%.5f", $0.auc), String($0.direction)]
        })
        try table.write(to: context.outputFile("columns.csv").url)
    }

    /// Horizontal bars: the best single column's AUC in each family, with the chance line.
    func drawFamilyAUCChart(context: StepContext, bestByFamily: [FeatureFamily: ColumnAUC],
                            sampleCount: Int) throws -> SectionDocument.Figure? {
        let items = FeatureFamily.allCases.compactMap { family in
            bestByFamily[family].map { (name: "\(family.title): \($0.name)", value: $0.auc) }
        }
        guard !items.isEmpty else { return nil }
        var chart = Chart.horizontalBars(items, title: "How well each family's best column ranks users on its own",
                                         subtitle: "ROC AUC of the column alone as a score (oriented ≥ 0.5) on \(sampleCount.formatted()) train users; dashed line: chance",
                                         valueTitle: "ROC AUC", format: .fixed(3), size: Size(width: 960, height: max(360, Double(items.count) * 40 + 160)))
        chart.x.domain = 0 ... 1
        chart = chart.adding { RuleMark(.vertical(x: 0.5), color: .reference, width: 1.25, dash: .dashed) }
        let file = context.outputFile("family-auc.png")
        try ChartRenderer.write(chart, to: file.url)
        return .init(path: file.reportPath,
                     caption: "The best single column of each family, scored by the ROC AUC it reaches alone on the training users.")
    }
}

func fmt(_ x: Double) -> String {
    if x.isNaN { return "–" }
    if x == x.rounded() && abs(x) < 1e7 { return String(Int(x)) }
    if abs(x) >= 100 { return String(format: "%.0f", x) }
    return String(format: "%.3f", x)
}
