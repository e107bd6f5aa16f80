import FoundationEssentials
import Hummingbird

/// `GET /openapi.yaml`: the service's committed OpenAPI document (or, at another
/// path, another committed document such as timesheet's `/asyncapi.yaml`), compiled
/// into the executable (`EmbeddedFiles`).
public struct OpenAPIRoute<Context: RequestContext>: Sendable {
    let document: ByteBuffer
    let path: String

    /// - Parameters:
    ///   - document: the document's text (`EmbeddedFiles.openapiYaml`).
    ///   - path: where it is served.
    public init(document: String, path: String = "openapi.yaml") {
        self.document = ByteBuffer(string: document)
        self.path = path
    }

    public func addRoutes(to router: Router<Context>) {
        router.get(RouterPath(path)) { [document] _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: ResponseBody(byteBuffer: document))
        }
    }
}
