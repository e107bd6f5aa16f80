import CLibZ

/// A ZIP archive written in memory, each entry deflated by zlib (APPNOTE 6.3: local
/// headers, then the central directory). Enough for an XLSX package: no ZIP64, no
/// encryption, one fixed timestamp on every entry so equal contents give equal bytes.
/// Written here rather than with a ZIP library because those bring Foundation, and
/// ICU with it, into the service's memory.
struct ZipArchive {
    private var bytes: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0

    /// 1980-01-01 00:00, the first moment an MS-DOS date and time can hold.
    private static let dosTime: UInt16 = 0
    private static let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1

    enum Failure: Error {
        case deflate(Int32)
        case tooLarge
    }

    /// Adds a file, deflated.
    mutating func add(_ path: String, _ contents: [UInt8]) throws {
        let compressed = try Self.deflate(contents)
        guard bytes.count < UInt32.max, contents.count < UInt32.max, count < UInt16.max else { throw Failure.tooLarge }
        let crc = contents.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
        let name = Array(path.utf8)
        let offset = UInt32(bytes.count)
        // Shared by the local header and the central directory's record.
        var common: [UInt8] = []
        common.append(le: UInt16(20))  // version needed: 2.0, deflate
        common.append(le: UInt16(1 << 11))  // flags: the name is UTF-8
        common.append(le: UInt16(8))  // deflate
        common.append(le: Self.dosTime)
        common.append(le: Self.dosDate)
        common.append(le: crc)
        common.append(le: UInt32(compressed.count))
        common.append(le: UInt32(contents.count))
        common.append(le: UInt16(name.count))
        common.append(le: UInt16(0))  // extra field length

        bytes.append(le: UInt32(0x0403_4b50))
        bytes += common + name + compressed

        directory.append(le: UInt32(0x0201_4b50))
        directory.append(le: UInt16(0x0314))  // made by: Unix, 2.0
        directory += common
        directory.append(le: UInt16(0))  // comment length
        directory.append(le: UInt16(0))  // disk number
        directory.append(le: UInt16(0))  // internal attributes
        directory.append(le: UInt32(0o100644) << 16)  // external attributes: a regular file, rw-r--r--
        directory.append(le: offset)
        directory += name
        count += 1
    }

    /// The archive: entries, central directory, end record.
    func finished() -> [UInt8] {
        var end: [UInt8] = []
        end.append(le: UInt32(0x0605_4b50))
        end.append(le: UInt16(0))  // this disk
        end.append(le: UInt16(0))  // the directory's disk
        end.append(le: UInt16(count))
        end.append(le: UInt16(count))
        end.append(le: UInt32(directory.count))
        end.append(le: UInt32(bytes.count))
        end.append(le: UInt16(0))  // comment length
        return bytes + directory + end
    }

    /// Raw deflate (no zlib header), as ZIP stores it.
    private static func deflate(_ input: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        var status = deflateInit2_(
            &stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw Failure.deflate(status) }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))))
        status = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                return CLibZ.deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw Failure.deflate(status) }
        return Array(output.prefix(Int(stream.total_out)))
    }
}

extension [UInt8] {
    /// Appends an integer little-endian, as ZIP's fields are.
    fileprivate mutating func append(le value: some FixedWidthInteger) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
