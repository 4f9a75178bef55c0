import CGD

/// PNG bytes decoded through libgd, with their size and pixel colours (for tests and checks).
public final class DecodedPNG {
    private let image: gdImagePtr

    /// Decodes `data`; nil when the bytes are not a PNG libgd can read.
    public init?(data: [UInt8]) {
        var copy = data
        guard !copy.isEmpty, copy.count <= Int(Int32.max),
              let decoded = copy.withUnsafeMutableBytes({ gdImageCreateFromPngPtr(Int32($0.count), $0.baseAddress) }) else { return nil }
        image = decoded
    }

    deinit { gdImageDestroy(image) }

    /// Width in pixels.
    public var width: Int { Int(shim_gdImageSX(image)) }
    /// Height in pixels.
    public var height: Int { Int(shim_gdImageSY(image)) }

    /// The red, green and blue components (0…255) of the pixel at column `x`, row `y`; black outside the image.
    public func rgb(_ x: Int, _ y: Int) -> (red: Int, green: Int, blue: Int) {
        guard x >= 0, y >= 0, x < width, y < height else { return (0, 0, 0) }
        let c = gdImageGetTrueColorPixel(image, Int32(x), Int32(y))
        return (Int(shim_gdTrueColorGetRed(c)), Int(shim_gdTrueColorGetGreen(c)), Int(shim_gdTrueColorGetBlue(c)))
    }
}
