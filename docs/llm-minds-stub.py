#!/usr/bin/env python3
"""A scripted "model" for trying minds per role without a provider: an OpenAI-compatible chat-completions
endpoint on 127.0.0.1 that answers the meta-controller's and the analysts' prompts in their JSON schemas. Its
direction is a hash of the user message, so it is deterministic but knows nothing about markets; tokens are
reported as characters / 4. Analysts' answers take 50 ms, so their parallel calls show in the timing.
Usage: llm-minds-stub.py PORT   (stop it with Ctrl-C or kill)"""
import json, sys, time, hashlib
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
class H(BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers['Content-Length'])))
        msgs = body['messages']; system = msgs[0]['content']; user = [m for m in msgs if m['role']=='user'][-1]['content']
        syms = next((l[len('Symbols to answer for: '):].split(', ') for l in user.split('\n') if l.startswith('Symbols to answer for: ')), [])
        h = int(hashlib.sha256(user.encode()).hexdigest()[:8], 16) / 0xffffffff
        d = round(h * 1.6 - 0.8, 3)
        if system.startswith('You are the portfolio manager'):
            content = json.dumps({"targets":[{"symbol":s,"direction":d,"confidence":0.6} for s in syms],"rationale":"Scripted synthesis."})
        else:
            time.sleep(0.05)
            content = json.dumps({"views":[{"symbol":s,"direction":d,"confidence":0.5,"horizon_hours":24,"falsification_price":95,"rationale":"Scripted view.","evidence":[]} for s in syms]})
        prompt_tokens = sum(len(m['content']) for m in msgs) // 4
        out = json.dumps({"id":"x","object":"chat.completion","created":0,"model":body['model'],
              "choices":[{"index":0,"message":{"role":"assistant","content":content},"finish_reason":"stop"}],
              "usage":{"prompt_tokens":prompt_tokens,"completion_tokens":len(content)//4,"total_tokens":0}}).encode()
        self.send_response(200); self.send_header('Content-Type','application/json'); self.send_header('Content-Length',str(len(out))); self.end_headers(); self.wfile.write(out)
ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
