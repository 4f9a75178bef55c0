import Core

/// Row-major `rowCount × width` floats filled chunk by chunk in parallel (Core's `parallelChunks`).
func parallelRows(rowCount: Int, width: Int,
                  _ fill: (Range<Int>, inout [Float]) -> Void) -> [Float] {
    let parts = parallelChunks(count: rowCount) { rows -> [Float] in
        var block = [Float](repeating: 0, count: rows.count * width)
        fill(rows, &block)
        return block
    }
    if parts.count == 1 { return parts[0] }
    var out = [Float]()
    out.reserveCapacity(rowCount * width)
    for part in parts { out.append(contentsOf: part) }
    return out
}
