import Foundation
import Hummingbird

/// `GET /openapi.yaml`: the service's committed OpenAPI document, read once at
/// start so a missing resource stops the service instead of a later request.
public struct OpenAPIRoute<Context: RequestContext>: Sendable {
    let document: ByteBuffer

    /// - Parameter url: the service's bundled `openapi.yaml` (`Bundle.module.url(forResource:withExtension:)`).
    public init(document url: URL?) throws {
        guard let url else { throw OpenAPIDocumentMissing() }
        document = ByteBuffer(bytes: try Data(contentsOf: url))
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("openapi.yaml") { [document] _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: ResponseBody(byteBuffer: document))
        }
    }
}

struct OpenAPIDocumentMissing: Error, CustomStringConvertible {
    var description: String { "the service's openapi.yaml is not in its bundle" }
}
