import GRPCNIOTransportHTTP2Posix

/// The client transport every command uses.
typealias HTTP2Transport = HTTP2ClientTransport.Posix
