/// A random (version 4) UUID as lowercase text, the form every id of the suite
/// takes. Foundation's `UUID().uuidString.lowercased()` costs three times as much,
/// and every answer to an NGO entry needs one.
public func randomUUIDString() -> String {
    var generator = SystemRandomNumberGenerator()
    var bytes = (generator.next() as UInt64, generator.next() as UInt64)
    return withUnsafeMutableBytes(of: &bytes) { raw in
        raw[6] = (raw[6] & 0x0F) | 0x40  // version 4
        raw[8] = (raw[8] & 0x3F) | 0x80  // the RFC 9562 variant
        return String(unsafeUninitializedCapacity: 36) { text in
            var position = 0
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    text[position] = UInt8(ascii: "-")
                    position += 1
                }
                text[position] = hexDigits[Int(raw[index] >> 4)]
                text[position + 1] = hexDigits[Int(raw[index] & 0x0F)]
                position += 2
            }
            return position
        }
    }
}

private let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
