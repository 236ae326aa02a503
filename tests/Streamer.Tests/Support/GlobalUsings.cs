// Tests build decoders from the wire message (StreamInfoCodecs.CreateDecoder) all over the suite.
global using Streamer.Streaming;
