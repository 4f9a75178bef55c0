/// What one analysis step hands to the report: its section's text, figures, tables and
/// headline numbers. Each step writes one `section.json` into its output folder; the report
/// builder only reads these documents and never recomputes anything.
public struct SectionDocument: Codable, Sendable, Equatable {
    /// The step that wrote it (`eda`, `clustering`, …); also the anchor id in the page.
    public var step: String
    /// Section heading ("Exploratory data analysis").
    public var title: String
    /// One or two sentences at the top of the section, computed from the numbers.
    public var summary: String
    /// Sub-sections, in reading order.
    public var blocks: [Block]
    /// Headline numbers for the report's summary box (e.g. "best CV AUC" → "0.8312").
    public var highlights: [Highlight]

    public init(step: String, title: String, summary: String, blocks: [Block] = [], highlights: [Highlight] = []) {
        self.step = step
        self.title = title
        self.summary = summary
        self.blocks = blocks
        self.highlights = highlights
    }

    /// One piece of a section.
    public enum Block: Codable, Sendable, Equatable {
        /// A sub-heading.
        case heading(String)
        /// A paragraph of plain text (escaped by the builder; no markup).
        case paragraph(String)
        /// A PNG figure; `path` is relative to the report folder (`eda/genre-rate.png`).
        case figure(Figure)
        /// A table.
        case table(Table)
        /// A bulleted list of plain-text items.
        case list([String])
    }

    /// A chart written by the step.
    public struct Figure: Codable, Sendable, Equatable {
        public var path: String
        public var caption: String
        /// Alternative text for screen readers.
        public var altText: String
        public init(path: String, caption: String, altText: String? = nil) {
            self.path = path
            self.caption = caption
            self.altText = altText ?? caption
        }
    }

    /// A table of already-formatted cells.
    public struct Table: Codable, Sendable, Equatable {
        public var caption: String
        public var columns: [String]
        public var rows: [[String]]
        /// Column indices to right-align (numbers).
        public var numericColumns: [Int]
        /// Optional CSV file beside the section holding the full table (`eda/title-lift.csv`).
        public var csvPath: String?
        public init(caption: String, columns: [String], rows: [[String]], numericColumns: [Int] = [], csvPath: String? = nil) {
            self.caption = caption
            self.columns = columns
            self.rows = rows
            self.numericColumns = numericColumns
            self.csvPath = csvPath
        }
    }

    /// A headline number for the report summary.
    public struct Highlight: Codable, Sendable, Equatable {
        public var label: String
        public var value: String
        public init(label: String, value: String) {
            self.label = label
            self.value = value
        }
    }
}
