import Foundation
import TestSupport
import Testing

@testable import Domain
@testable import EventJSON

extension Repository {
    static func example(_ type: any DomainEvent.Type) throws -> [UInt8] {
        try bytes("contracts/examples/\(type.eventType.name).v\(type.eventType.version).json")
    }
}

/// A JSON document as Foundation objects, for tests that break one field.
struct JSONDocument {
    var object: [String: Any]

    init(_ bytes: [UInt8]) throws {
        object = try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    /// Sets (or, with nil, removes) the value at a dotted path such as "data.age.years".
    mutating func set(_ path: String, _ value: Any?) {
        func update(_ node: inout [String: Any], _ keys: ArraySlice<Substring>) {
            let key = String(keys.first!)
            if keys.count == 1 {
                node[key] = value
            } else {
                var child = node[key] as? [String: Any] ?? [:]
                update(&child, keys.dropFirst())
                node[key] = child
            }
        }
        update(&object, path.split(separator: ".")[...])
    }

    var bytes: [UInt8] {
        Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }
}

/// Decodes `bytes` as `type` and returns the error, or nil when it decoded.
func decodingError(_ type: any DomainEvent.Type, _ bytes: [UInt8]) -> EventDecodingError? {
    func open<Payload: DomainEvent>(_: Payload.Type) -> EventDecodingError? {
        do {
            _ = try EventCodec.decode(Payload.self, from: bytes)
            return nil
        } catch {
            return error
        }
    }
    return open(type)
}

/// PESEL test numbers, checksum computed rather than copied from anywhere.
enum PeselMaker {
    static let weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]

    /// The check digit of the first ten digits.
    static func checkDigit(_ ten: [Int]) -> Int {
        (10 - zip(ten, weights).reduce(0) { $0 + $1.0 * $1.1 } % 10) % 10
    }

    /// Eleven digits for raw fields: `encodedMonth` already carries the century.
    static func make(yy: Int, encodedMonth: Int, day: Int, serial: Int) -> String {
        let ten = [
            yy / 10, yy % 10, encodedMonth / 10, encodedMonth % 10, day / 10, day % 10,
            serial / 1000, serial / 100 % 10, serial / 10 % 10, serial % 10,
        ]
        return (ten + [checkDigit(ten)]).map(String.init).joined()
    }

    /// A valid PESEL of someone born on `year-month-day`.
    static func make(year: Int, month: Int, day: Int, serial: Int = 1234) -> String {
        let offset =
            switch year {
            case 1800..<1900: 80
            case 1900..<2000: 0
            case 2000..<2100: 20
            case 2100..<2200: 40
            default: 60
            }
        return make(yy: year % 100, encodedMonth: month + offset, day: day, serial: serial)
    }
}

func day(_ text: String) -> CalendarDate { CalendarDate(text)! }
func instant(_ text: String) -> Date { Timestamp.parse(text)! }
