import Foundation
import Hummingbird

/// Serves the committed OpenAPI document.
struct OpenAPIRoute<Context: RequestContext>: Sendable {
    func addRoutes(to router: Router<Context>) {
        router.get("openapi.yaml") { _, _ in
            guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else { throw HTTPError(.notFound) }
            let data = try Data(contentsOf: url)
            return Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
