/**
 * Escaping in reports: journal text (probe output, step names) must come out as text in XML, HTML and Markdown.
 */
import { expect } from 'chai';
import { escapeHtml, html } from '../../src/report/html-escape.js';
import { escapeMarkdown, markdownCode } from '../../src/report/markdown-escape.js';
import { escapeXml, escapeXmlAttribute } from '../../src/report/xml-escape.js';

describe('report escaping', () => {
  it('escapes the five XML entities and replaces characters XML 1.0 forbids', () => {
    expect(escapeXml(`a<b>&"c"'d'`)).to.equal('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;');
    expect(escapeXml('bell\u0007 nul\u0000 ok\ttab')).to.equal('bell\uFFFD nul\uFFFD ok\ttab');
    expect(escapeXml('lone \uD800 high, pair \uD83D\uDE00 kept')).to.equal('lone \uFFFD high, pair \uD83D\uDE00 kept');
    expect(escapeXml('\uFFFE\uFFFF')).to.equal('\uFFFD\uFFFD');
  });

  it('keeps newlines and tabs in XML attributes as character references', () => {
    expect(escapeXmlAttribute('line1\nline2\r\tx')).to.equal('line1&#10;line2&#13;&#9;x');
  });

  it('escapes HTML text and interpolations, but not SafeHtml', () => {
    expect(escapeHtml(`<script>alert("x")</script>&'`)).to.equal('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"onload="x'}">${inner}${['<a>', inner]}</p>`.html).to.equal(
      '<p title="&quot;onload=&quot;x"><b>&lt;i&gt;</b>&lt;a&gt;<b>&lt;i&gt;</b></p>',
    );
  });

  it('escapes Markdown so table cells, emphasis, links and HTML stay text', () => {
    expect(escapeMarkdown('a|b *c* _d_ [e](f) `g` <h> ~i~ \\')).to.equal('a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\`g\\` &lt;h&gt; \\~i\\~ \\\\');
    expect(escapeMarkdown('line\nbreak')).to.equal('line break');
    expect(escapeMarkdown('# not a heading')).to.equal('\\# not a heading');
    expect(escapeMarkdown('1. not a list')).to.equal('1\\. not a list');
    expect(escapeMarkdown('0.1.0 and 70.5%')).to.equal('0.1.0 and 70.5%');
  });

  it('fences code spans with more backticks than the text holds', () => {
    expect(markdownCode('plain')).to.equal('`plain`');
    expect(markdownCode('a `b` c')).to.equal('``a `b` c``');
    expect(markdownCode('`edge`')).to.equal('`` `edge` ``');
    expect(markdownCode('a|b')).to.equal('`a\\|b`');
  });
});
