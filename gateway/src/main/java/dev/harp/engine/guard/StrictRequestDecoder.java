package dev.harp.engine.guard;

import dev.harp.config.ProxyConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMessageDecoderResult;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.InvalidLineSeparatorException;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.http.impl.headers.HeadersMultiMap;

import java.util.List;

/**
 * Vert.x's request decoder made strict where Netty is lenient, so that HARP and any upstream always agree on where a
 * request starts and ends. It reuses Netty's parser and only watches what it emits, through the protected hooks:
 * no byte of a body is looked at twice.
 *
 * <p>A refused head leaves as a request whose decoder result is a {@link RequestRejected}: Vert.x gives it to the
 * invalid-request handler and never to the proxy. A refused body (a malformed chunk, too many bytes) leaves as a
 * failed last content: Vert.x fails the request stream with it, and the exchange answers. Either way the decoder
 * then discards everything until the connection closes.
 *
 * <p>It also marks when a request head starts and ends, for {@link HeadTimer}.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

  enum Phase { AWAITING_HEAD, IN_HEAD, IN_BODY, DISCARDING }

  private final int maxUriLength;
  private final long maxBodySize;
  private final HeadTimer timer;
  private final HeadAccount head;
  private ChannelHandlerContext ctx;

  private Phase phase = Phase.AWAITING_HEAD;
  long headStartTick;

  // The head being read. Netty's parser state is private; these are derived from what it consumes and emits.
  private boolean requestLineStarted;
  private boolean headersStarted;
  private ByteBuf input;
  private int requestLineEnd;
  private int methodEnd;
  private int targetEnd;

  private long bodyBytes;

  StrictRequestDecoder(HttpServerOptions options, ProxyConfig.Limits limits, HeadTimer timer) {
    super(options);
    this.maxUriLength = limits.maxUriLength();
    this.maxBodySize = limits.maxBodySize();
    this.head = new HeadAccount(limits.maxHeaderCount(), limits.maxBodySize());
    this.timer = timer;
  }

  Phase phase() {
    return phase;
  }

  /**
   * Whether bytes are being read from this connection. Vert.x stops reading while it applies back-pressure (e.g. a
   * pipelined request waits behind a slow response); the rest of a head may then sit unread in the socket, and the
   * client is not the slow one.
   */
  boolean reading() {
    return ctx != null && ctx.channel().config().isAutoRead();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    super.handlerAdded(ctx);
    if (timer != null) {
      timer.watch(this);
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
    if (timer != null) {
      timer.unwatch(this);
    }
    super.handlerRemoved0(ctx);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (phase == Phase.DISCARDING) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (phase == Phase.AWAITING_HEAD && in.isReadable()) {
      startHead();
    }
    if (phase == Phase.IN_HEAD && !requestLineStarted && !leadingBytesAllowed(in)) {
      out.add(refusedHead(new RequestRejected(Violation.INVALID_REQUEST_LINE,
          "control character before the request line")));
      discardFrom(out, out.size(), in);
      return;
    }
    int from = in.readerIndex();
    int first = out.size();
    input = in;
    requestLineEnd = -1;
    try {
      super.decode(ctx, in, out);
    } finally {
      input = null;
    }
    if (phase == Phase.IN_HEAD && headersStarted) {
      head.consumed(in.readerIndex() - (requestLineEnd >= 0 ? requestLineEnd : from));
    }
    for (int i = first; i < out.size(); i++) {
      Object msg = out.get(i);
      boolean accepted = msg instanceof HttpRequest request ? acceptHead(request, in, out, i)
          : !(msg instanceof HttpContent content) || acceptContent(content, in, out, i);
      if (!accepted) {
        return;
      }
    }
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (phase == Phase.DISCARDING) {
      in.skipBytes(in.readableBytes());
      return;
    }
    super.decodeLast(ctx, in, out);
  }

  /** Called by {@link HeadTimer} on this channel's event loop when the head took too long: answer 408 and stop. */
  void headTimedOut(String detail) {
    if (phase != Phase.IN_HEAD) {
      return;
    }
    ByteBuf pending = internalBuffer();
    pending.skipBytes(pending.readableBytes());
    phase = Phase.DISCARDING;
    ctx.fireChannelRead(refusedHead(new RequestRejected(Violation.HEADER_READ_TIMEOUT, detail)));
    ctx.fireChannelReadComplete();
  }

  // ------------------------------------------------------------------------------------ Netty parser hooks

  @Override
  protected String splitFirstWordInitialLine(byte[] line, int start, int length) {
    methodEnd = start + length;
    return super.splitFirstWordInitialLine(line, start, length);
  }

  @Override
  protected String splitSecondWordInitialLine(byte[] line, int start, int length) {
    RequestLineRules.requireSingleSpace(line, methodEnd, start);
    RequestLineRules.requireTarget(line, start, length, maxUriLength);
    targetEnd = start + length;
    return super.splitSecondWordInitialLine(line, start, length);
  }

  @Override
  protected String splitThirdWordInitialLine(byte[] line, int start, int length) {
    RequestLineRules.requireSingleSpace(line, targetEnd, start);
    return super.splitThirdWordInitialLine(line, start, length);
  }

  @Override
  protected HttpMessage createMessage(String[] initialLine) {
    RequestLineRules.requireVersion(initialLine[2]);
    // Same message as Vert.x's decoder builds, with HARP's always-on header validation.
    HttpMessage message = new DefaultHttpRequest(HttpVersion.valueOf(initialLine[2]),
        HttpMethod.valueOf(initialLine[0]), initialLine[1], HeadersMultiMap.httpHeaders(HeaderRules.INSTANCE));
    requestLineEnd = input.readerIndex();
    headersStarted = true;
    return message;
  }

  /** Called once per header (and trailer) field, before its value is parsed: counts are checked here, early. */
  @Override
  protected AsciiString splitHeaderName(byte[] line, int start, int length) {
    AsciiString name = super.splitHeaderName(line, start, length);
    head.field(name, phase == Phase.IN_HEAD);
    return name;
  }

  /** Netty would drop Content-Length and carry on; {@link HeadAccount#field} already refused this: a backstop. */
  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    throw new RequestRejected(Violation.CONTENT_LENGTH_AND_TRANSFER_ENCODING,
        "both Content-Length and Transfer-Encoding");
  }

  // ---------------------------------------------------------------------------------- checks on what Netty emits

  private void startHead() {
    phase = Phase.IN_HEAD;
    headStartTick = timer == null ? 0 : timer.tick();
    requestLineStarted = false;
    headersStarted = false;
    head.reset();
  }

  /**
   * RFC 9112 §2.2 lets a server ignore empty lines before a request line; Netty skips every control and whitespace
   * byte there. Only CR and LF are let through.
   */
  private boolean leadingBytesAllowed(ByteBuf in) {
    for (int i = in.readerIndex(), end = in.writerIndex(); i < end; i++) {
      int b = in.getByte(i) & 0xFF;
      if (b == '\r' || b == '\n') {
        continue;
      }
      requestLineStarted = true;
      return b > 0x20 && b != 0x7F;
    }
    return true;
  }

  private boolean acceptHead(HttpRequest request, ByteBuf in, List<Object> out, int index) {
    DecoderResult result = request.decoderResult();
    RequestRejected refusal;
    if (result.isFailure()) {
      Throwable cause = result.cause();
      refusal = cause instanceof RequestRejected r ? r : classify(cause);
    } else {
      refusal = head.complete(request, (HttpMessageDecoderResult) result);
    }
    if (refusal != null || result.isFailure()) {
      if (refusal != null) {
        request.setDecoderResult(DecoderResult.failure(refusal));
      }
      discardFrom(out, index + 1, in);
      return false;
    }
    phase = Phase.IN_BODY;
    bodyBytes = 0;
    return true;
  }

  /** Netty's own refusals of a head, named; null for a client that left mid-head (nobody to answer). */
  private RequestRejected classify(Throwable cause) {
    if (cause instanceof PrematureChannelClosureException) {
      return null;
    }
    Violation v;
    if (cause instanceof TooLongHttpLineException) {
      v = Violation.URI_TOO_LONG;
    } else if (cause instanceof TooLongHttpHeaderException) {
      v = Violation.HEADER_SECTION_TOO_LARGE;
    } else if (cause instanceof InvalidLineSeparatorException) {
      v = Violation.BARE_LF;
    } else {
      v = headersStarted ? Violation.MALFORMED_HEADER : Violation.INVALID_REQUEST_LINE;
    }
    return new RequestRejected(v, message(cause));
  }

  private boolean acceptContent(HttpContent content, ByteBuf in, List<Object> out, int index) {
    DecoderResult result = content.decoderResult();
    if (result.isFailure()) {
      if (!(result.cause() instanceof RequestRejected)) {
        content.setDecoderResult(DecoderResult.failure(new RequestRejected(Violation.MALFORMED_CHUNK,
            "malformed chunk: " + message(result.cause()))));
      }
      discardFrom(out, index + 1, in);
      return false;
    }
    bodyBytes += content.content().readableBytes();
    if (maxBodySize > 0 && bodyBytes > maxBodySize) {
      // Only a chunked body can get here: an announced length was checked with the head.
      DefaultLastHttpContent refusal = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
      refusal.setDecoderResult(DecoderResult.failure(new RequestRejected(Violation.BODY_TOO_LARGE,
          "body exceeds " + maxBodySize + " bytes")));
      ReferenceCountUtil.release(out.set(index, refusal));
      discardFrom(out, index + 1, in);
      return false;
    }
    if (content instanceof LastHttpContent) {
      phase = Phase.AWAITING_HEAD;
    }
    return true;
  }

  private HttpRequest refusedHead(RequestRejected refusal) {
    HttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/",
        Unpooled.EMPTY_BUFFER, headersFactory, trailersFactory);
    request.setDecoderResult(DecoderResult.failure(refusal));
    return request;
  }

  private static String message(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** Drops what was decoded after {@code from} and every byte still to come on this connection. */
  private void discardFrom(List<Object> out, int from, ByteBuf in) {
    for (int i = out.size() - 1; i >= from; i--) {
      ReferenceCountUtil.release(out.remove(i));
    }
    in.skipBytes(in.readableBytes());
    phase = Phase.DISCARDING;
  }
}
