public import GRPCCore

/// A status another server answered with, relayed as it is: ``InternalErrorInterceptor`` passes it
/// unchanged whatever its code (INTERNAL and UNKNOWN included), since it reports that server's
/// outcome, not a fault of this one. The training gateway relays its provider's answers this way.
package struct RelayedStatus: Error, RPCErrorConvertible {
    package let status: RPCError

    package init(_ status: RPCError) {
        self.status = status
    }

    package var rpcErrorCode: RPCError.Code { status.code }
    package var rpcErrorMessage: String { status.message }
    package var rpcErrorMetadata: Metadata { status.metadata }
}
