import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddGuard, ADDS_PER_MINUTE_PER_ORIGIN, ADDS_PER_MINUTE_ALL_PAGES, MAX_QUESTIONS_PER_ORIGIN, originOf } from '../../src/lib/add-guard.js';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => { t += ms; } };
}
const link = (n) => `magnet:?xt=urn:btih:${n.toString(16).padStart(40, '0')}`;

test('the first links from a page in a minute are added at once; the next one asks the user', () => {
  const c = clock();
  const guard = new AddGuard({ now: c.now });
  for (let i = 0; i < ADDS_PER_MINUTE_PER_ORIGIN; i++) {
    assert.equal(guard.admit({ pageUrl: 'https://a.example/page', uri: link(i) }).verdict, 'add');
  }
  const asked = guard.admit({ pageUrl: 'https://a.example/other', uri: link(99), name: 'x' });
  assert.equal(asked.verdict, 'ask');
  assert.deepEqual([asked.question.origin, asked.question.uri, asked.question.originPage], ['https://a.example', link(99), 'https://a.example/other']);
  assert.deepEqual(guard.questions.map((q) => q.id), [asked.question.id]);
});

test('another origin has its own allowance; a minute later the page may add again', () => {
  const c = clock();
  const guard = new AddGuard({ now: c.now });
  for (let i = 0; i < ADDS_PER_MINUTE_PER_ORIGIN; i++) guard.admit({ pageUrl: 'https://a.example/', uri: link(i) });
  assert.equal(guard.admit({ pageUrl: 'https://b.example/', uri: link(50) }).verdict, 'add');
  assert.equal(guard.admit({ pageUrl: 'http://a.example/', uri: link(51) }).verdict, 'add', 'scheme is part of the origin');
  c.advance(59_999);
  assert.equal(guard.admit({ pageUrl: 'https://a.example/', uri: link(52) }).verdict, 'ask');
  c.advance(1);
  // The five first links are a minute old now; the question just asked still counts.
  for (let i = 0; i < ADDS_PER_MINUTE_PER_ORIGIN - 1; i++) assert.equal(guard.admit({ pageUrl: 'https://a.example/', uri: link(60 + i) }).verdict, 'add');
  assert.equal(guard.admit({ pageUrl: 'https://a.example/', uri: link(70) }).verdict, 'ask');
});

test('many origins together (one site\'s subdomains) hit the limit for all pages', () => {
  const guard = new AddGuard({ now: clock().now });
  for (let i = 0; i < ADDS_PER_MINUTE_ALL_PAGES; i++) {
    assert.equal(guard.admit({ pageUrl: `https://s${i}.evil.example/`, uri: link(i) }).verdict, 'add');
  }
  assert.equal(guard.admit({ pageUrl: 'https://s99.evil.example/', uri: link(99) }).verdict, 'ask');
});

test('a page that keeps going is refused once enough of its links wait, and the refusal says why', () => {
  const guard = new AddGuard({ now: clock().now });
  for (let i = 0; i < ADDS_PER_MINUTE_PER_ORIGIN; i++) guard.admit({ pageUrl: 'https://a.example/', uri: link(i) });
  for (let i = 0; i < MAX_QUESTIONS_PER_ORIGIN; i++) assert.equal(guard.admit({ pageUrl: 'https://a.example/', uri: link(100 + i) }).verdict, 'ask');
  const refused = guard.admit({ pageUrl: 'https://a.example/', uri: link(200) });
  assert.equal(refused.verdict, 'refuse');
  assert.match(refused.reason, /https:\/\/a\.example sent more links than Magnetar adds without asking/);
  assert.equal(guard.questions.length, MAX_QUESTIONS_PER_ORIGIN, 'a refused link is not queued');
  assert.equal(guard.admit({ pageUrl: 'https://b.example/', uri: link(300) }).verdict, 'add', 'other pages are not punished');
});

test('answering takes a question off the list once; dismissing an origin takes all of its questions', () => {
  const guard = new AddGuard({ now: clock().now });
  for (let i = 0; i < ADDS_PER_MINUTE_PER_ORIGIN; i++) guard.admit({ pageUrl: 'https://a.example/', uri: link(i) });
  const q1 = guard.admit({ pageUrl: 'https://a.example/', uri: link(10) }).question;
  const q2 = guard.admit({ pageUrl: 'https://a.example/', uri: link(11) }).question;
  assert.equal(guard.answer(q1.id).uri, link(10));
  assert.equal(guard.answer(q1.id), null, 'a second answer finds nothing');
  assert.deepEqual(guard.dismissOrigin('https://a.example').map((q) => q.id), [q2.id]);
  assert.deepEqual(guard.questions, []);
});

test('pages without a usable URL share one bucket', () => {
  assert.equal(originOf(null), 'an unknown page');
  assert.equal(originOf('data:text/html,hi'), 'an unknown page');
  assert.equal(originOf('http://127.0.0.1:8080/x?y'), 'http://127.0.0.1:8080');
});
