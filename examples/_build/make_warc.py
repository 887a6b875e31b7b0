# ruff: noqa: E501  (the pages below are HTML kept as written, long lines and all)
"""Rebuild examples/crawl-2025-03-12.warc.gz from the two HTML pages kept below as strings.

Run once from the repo root: `.venv/bin/python examples/_build/make_warc.py [out_path]`.
The pages are invented (see examples/README.md). Every header that warcio would otherwise fill
from the clock or a random UUID is fixed here, so the archive is byte-for-byte reproducible and
tests/test_examples_corpus.py can check the committed file against a fresh build.
"""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

OUT = Path(__file__).resolve().parents[1] / "crawl-2025-03-12.warc.gz"
CRAWL_DATE = "2025-03-12T22:41:07Z"

# (b) A regional US paper reprinting the AP wire verbatim, inside heavy page junk.
LAKESHORE_URL = "https://www.lakeshoresentinel.com/news/world/2025/03/12/brazil-ferry-capsizes-amazon-23-dead/"
LAKESHORE_HTML = """<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<title>Overloaded ferry capsizes in Brazil's Amazon, killing at least 23 - The Lakeshore Sentinel</title>
<meta property="og:site_name" content="The Lakeshore Sentinel">
<meta property="og:type" content="article">
<meta property="og:title" content="Overloaded ferry capsizes in Brazil's Amazon, killing at least 23">
<meta property="og:url" content="https://www.lakeshoresentinel.com/news/world/2025/03/12/brazil-ferry-capsizes-amazon-23-dead/">
<meta property="article:published_time" content="2025-03-12T15:05:00-05:00">
<meta property="article:section" content="World">
<link rel="canonical" href="https://www.lakeshoresentinel.com/news/world/2025/03/12/brazil-ferry-capsizes-amazon-23-dead/">
<script>window.dataLayer=window.dataLayer||[];dataLayer.push({"section":"world","paywall":"metered"});</script>
</head>
<body class="single-post">
<div class="top-bar">Weather: 41°F Cloudy | <a href="/e-edition">E-Edition</a> | <a href="/subscribe">Subscribe</a> | <a href="/login">Log In</a></div>
<header class="site-header">
  <a class="logo" href="/">The Lakeshore Sentinel</a>
  <nav class="primary-nav">
    <a href="/news/local/">Local</a> <a href="/news/world/">World</a> <a href="/sports/">Sports</a>
    <a href="/business/">Business</a> <a href="/opinion/">Opinion</a> <a href="/obituaries/">Obituaries</a>
    <a href="/classifieds/">Classifieds</a> <a href="/weather/">Weather</a>
  </nav>
</header>
<div class="ad-slot leaderboard">Advertisement</div>
<div class="breaking-banner">BREAKING: Route 9 bridge closed overnight for repairs. <a href="/traffic/">Details</a></div>
<main id="content">
<article class="post">
  <p class="kicker">World</p>
  <h1 class="entry-title">Overloaded ferry capsizes in Brazil's Amazon, killing at least 23</h1>
  <div class="byline">By MARIANA COSTA ROCHA Associated Press <time datetime="2025-03-12T15:05:00-05:00">Mar 12, 2025 Updated 3:05 PM</time></div>
  <div class="share-tools">
    <a href="#" class="share-facebook">Facebook</a> <a href="#" class="share-x">Twitter</a>
    <a href="#" class="share-email">Email</a> <a href="#" class="share-print">Print</a>
    <a href="#" class="share-copy">Copy article link</a> <a href="#" class="save">Save</a>
  </div>
  <figure>
    <img src="/wp-content/uploads/2025/03/ferry-brazil.jpg" alt="">
    <figcaption>Firefighters search the Madeira River near Humaitá, Amazonas state, Brazil, Wednesday, March 12, 2025, a day after a passenger ferry capsized. (AP Photo/Gabriel Serrano)</figcaption>
  </figure>
  <div class="entry-content">
    <p>HUMAITÁ, Brazil (AP) — An overloaded river ferry capsized in a sudden storm on the Madeira River in Brazil's Amazon region, killing at least 23 people and injuring 41 others, officials said Wednesday, as rescuers searched the fast-moving brown water for 17 people who are still missing.</p>
    <p>The two-deck wooden ferry Estrela do Madeira was carrying 212 passengers, although it was licensed to carry 150, when it overturned shortly before 9 p.m. on Tuesday, March 11, about 40 kilometers (25 miles) downstream from the town of Humaitá in Amazonas state.</p>
    <p>“The boat was overloaded and the wind hit it from the side. In less than two minutes it was upside down,” said Lúcia Brandão Teles, the head of civil defense for Amazonas state.</p>
    <p>Brandão Teles said most of the dead had been sleeping in hammocks on the lower deck, where families making the overnight trip upriver to Porto Velho, the capital of neighboring Rondônia state, sling them side by side.</p>
    <div class="inline-promo"><strong>Click here to get the Lakeshore Sentinel app</strong> — breaking news alerts, weather radar and the daily e-edition on your phone.</div>
    <p>Survivors told local television that the crew never handed out life jackets, even at the last minute, and officials said the vessel was not carrying enough of them for everyone on board.</p>
    <p>The Brazilian Navy, which inspects and licenses river vessels, said it had sent two patrol boats, a helicopter and 30 divers, who were working around the clock on a stretch of river that is about 1,300 meters (4,265 feet) wide and up to 18 meters (59 feet) deep.</p>
    <p>Navy Capt. Eduardo Sampaio Lins said the ferry's owner, Navegação Rio Verde, had been fined twice since 2022 for carrying more passengers than its license allowed. The company did not respond to phone calls and emails seeking comment on Wednesday.</p>
    <div class="ad-slot in-article">Advertisement</div>
    <p>The Amazonas state government declared three days of mourning and pledged 12 million reais ($2.1 million) in emergency aid for the victims' families and for the search.</p>
    <p>In Humaitá, a riverside town of about 57,000 people, relatives spent the night on the waterfront as fishermen and firefighters brought bodies ashore in aluminum skiffs.</p>
    <p>“We will not stop searching until every family has someone to bury,” Brandão Teles told reporters at the town's port on Wednesday morning.</p>
    <p>Crowded boats are a common sight on the rivers of the Amazon, where roads are scarce and many towns can be reached only by water or by air. A hammock space on the ferry costs about 90 reais ($16), a fraction of the price of a seat on the twice-weekly flight.</p>
    <p>Accidents on the rivers of the Amazon region killed 96 people last year, up 18% from 2023, according to Navy figures.</p>
    <p>The Madeira, one of the largest tributaries of the Amazon, has been running unusually high after weeks of heavy rain, and the National Institute of Meteorology had issued a severe storm warning for southern Amazonas on Tuesday afternoon.</p>
    <p>Federal prosecutors in Porto Velho said Wednesday they had opened an investigation into whether the ferry should have been allowed to leave port after the warning was issued.</p>
    <p>It was the deadliest river accident in the state in more than a decade, the Navy said.</p>
    <p>Associated Press writer Daniel Okafor in Rio de Janeiro contributed to this report.</p>
    <p class="copyright">Copyright 2025 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed without permission.</p>
  </div>
  <div class="tags">Tags: <a href="/tag/brazil/">Brazil</a> <a href="/tag/ap/">AP</a> <a href="/tag/world-news/">World News</a></div>
  <div class="newsletter-box">
    <h3>Get the Morning Briefing</h3>
    <p>Sign up for our free newsletter and start every weekday with the stories Lakeshore County is talking about.</p>
    <form><input type="email" placeholder="Email address"><button>Sign Up</button></form>
    <p class="fine-print">By signing up you agree to our Terms of Service and Privacy Policy. You can unsubscribe at any time.</p>
  </div>
  <section class="comments-prompt">
    <h3>Join the conversation (14 comments)</h3>
    <p>Comments are moderated. Please keep it civil and on topic. Log in or create a free account to comment.</p>
    <a href="#comments" class="button">View comments</a>
  </section>
</article>
<section class="recommended">
  <h2>Recommended stories</h2>
  <ul>
    <li><a href="/news/local/2025/03/12/harbor-board-dredging-vote/">Harbor board delays dredging vote again as costs climb past $4 million</a><p>Commissioners said they want a second estimate before committing to the project.</p></li>
    <li><a href="/sports/2025/03/11/falcons-girls-basketball-semifinal/">Falcons girls rally from 12 down to reach state semifinal</a><p>Senior guard Tess Whitford scored 19 of her 27 points in the second half.</p></li>
    <li><a href="/business/2025/03/12/grocery-chain-closing-elm-street/">Grocery chain to close Elm Street store, citing lease dispute</a><p>About 60 workers will be offered jobs at other locations, the company said.</p></li>
    <li><a href="/news/local/2025/03/10/school-board-four-day-week/">School board hears parents on proposed four-day week</a><p>More than 200 people packed the middle school cafeteria for the hearing.</p></li>
    <li><a href="/news/nation/2025/03/12/airline-refund-rule/">New federal rule requires airlines to refund fees for delayed bags</a><p>Carriers will have 30 days to comply, regulators said.</p></li>
    <li><a href="/life/2025/03/09/best-fish-fry-lakeshore/">Our readers picked the best Friday fish fry in Lakeshore County</a><p>A tavern on County Road M took top honors for the third year running.</p></li>
    <li><a href="/news/local/2025/03/11/ice-fishing-rescue/">Two ice fishermen rescued after truck breaks through near Pike Point</a><p>Sheriff's deputies urged anglers to stay off the ice as temperatures rise.</p></li>
    <li><a href="/obituaries/2025/03/12/">Obituaries for Wednesday, March 12</a><p>Read and share memories of loved ones.</p></li>
  </ul>
</section>
</main>
<footer class="site-footer">
  <p>&copy; 2025 The Lakeshore Sentinel, a Northwoods Media company. All rights reserved.</p>
  <p><a href="/contact/">Contact us</a> | <a href="/advertise/">Advertise</a> | <a href="/privacy/">Privacy Policy</a> | <a href="/terms/">Terms of Service</a> | <a href="/accessibility/">Accessibility</a></p>
</footer>
</body>
</html>
"""

# (h2) A regional paper's light edit of the independent AFP dispatch: a few words changed,
# last paragraph trimmed.
VALLEY_URL = "https://www.valleyrecordcourier.com/world/boat-capsizes-amazon-storm-at-least-21-dead-20250312"
VALLEY_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Boat capsizes in Amazon storm, killing at least 21 | Valley Record-Courier</title>
<meta property="og:site_name" content="Valley Record-Courier">
<meta property="og:type" content="article">
<meta property="og:title" content="Boat capsizes in Amazon storm, killing at least 21">
<meta property="article:published_time" content="2025-03-12T17:10:00-07:00">
<link rel="canonical" href="https://www.valleyrecordcourier.com/world/boat-capsizes-amazon-storm-at-least-21-dead-20250312">
</head>
<body>
<header>
  <div class="masthead"><a href="/">Valley Record-Courier</a> <span>Serving the valley since 1911</span></div>
  <nav><a href="/local">Local</a> | <a href="/world">World</a> | <a href="/farm">Farm &amp; Ranch</a> | <a href="/sports">Sports</a> | <a href="/opinion">Opinion</a> | <a href="/legals">Legal Notices</a></nav>
</header>
<main>
<article>
  <h1>Boat capsizes in Amazon storm, killing at least 21</h1>
  <p class="meta">Agence France-Presse | Posted Mar 12, 2025 5:10 PM</p>
  <div class="social">Share on Facebook | Share on X | Email this story</div>
  <div class="story-body">
    <p>PORTO VELHO, Brazil (AFP) - At least 21 people were killed and more than a dozen were missing after a passenger boat overturned during a fierce storm on the Madeira river in the Brazilian Amazon, rescue officials said Wednesday.</p>
    <p>The Estrela do Madeira, a wooden riverboat of the kind that ferries people and cargo between isolated towns in the rainforest, sank late Tuesday near Humaitá, in the northern state of Amazonas, while heading south toward Porto Velho.</p>
    <p>"The water came in all at once. I grabbed my daughter and kicked out through the window," survivor Raimundo Ferreira da Silva, a 46-year-old farmhand, told AFP by telephone from the hospital in Humaitá, where he was being treated for cuts to his arms.</p>
    <p>He said he saw no life jackets being handed out and that many passengers were asleep when the boat tipped over.</p>
    <p>Firefighters and Navy divers recovered 21 bodies by Wednesday morning, said Lieutenant Colonel Jefferson Maciel Prado of the Amazonas fire department.</p>
    <p>"Visibility under the water is practically zero and the current is very strong, which makes the divers' work extremely dangerous," Maciel Prado said.</p>
    <p>Around 40 people were taken to hospitals in Humaitá and Porto Velho, some of them in serious condition, according to the state health department.</p>
    <p>The number of people on board was still unclear. Local media, citing passengers, said the boat was carrying about 200 people, well above its authorized capacity.</p>
    <p>The Navy, which is responsible for river safety, said it had opened an inquiry into the cause of the accident.</p>
    <p>River transport is the main way to travel across much of the Amazon, a region roughly the size of western Europe where roads are few and often impassable during the rainy season.</p>
  </div>
  <p class="subscribe-cta">Local news matters. Subscribe to the Valley Record-Courier for $1 for your first month.</p>
</article>
<aside>
  <h3>Latest headlines</h3>
  <ul>
    <li>County fair board names new manager</li>
    <li>Irrigation district sets water allotment at 3.2 acre-feet</li>
    <li>Wildcats sweep doubleheader at home</li>
  </ul>
</aside>
</main>
<footer>Copyright 2025 Valley Record-Courier. All rights reserved. | <a href="/privacy">Privacy</a> | <a href="/contact">Contact</a></footer>
</body>
</html>
"""

PAGES = [
    # (target URI, HTML, HTTP Date header, fixed record id)
    (LAKESHORE_URL, LAKESHORE_HTML, "Wed, 12 Mar 2025 22:41:07 GMT", "0e6f1c52-6b4e-4a39-9c0e-3d7a58a1b001"),
    (VALLEY_URL, VALLEY_HTML, "Thu, 13 Mar 2025 01:12:44 GMT", "0e6f1c52-6b4e-4a39-9c0e-3d7a58a1b002"),
]


def build(out: Path = OUT) -> Path:
    """Write a warcinfo record and one HTTP response record per page; return the path written."""
    with out.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        info = writer.create_warcinfo_record(
            OUT.name,  # fixed, so a build to another path is byte-identical
            {"software": "wiretrace examples/_build/make_warc.py", "format": "WARC File Format 1.0"},
        )
        info.rec_headers.replace_header("WARC-Date", CRAWL_DATE)
        info.rec_headers.replace_header("WARC-Record-ID", "<urn:uuid:0e6f1c52-6b4e-4a39-9c0e-3d7a58a1b000>")
        writer.write_record(info)
        for url, page, http_date, record_id in PAGES:
            body = page.encode("utf-8")
            http_headers = StatusAndHeaders(
                "200 OK",
                [
                    ("Content-Type", "text/html; charset=UTF-8"),
                    ("Content-Length", str(len(body))),
                    ("Date", http_date),
                ],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                url,
                "response",
                payload=BytesIO(body),
                http_headers=http_headers,
                warc_headers_dict={
                    "WARC-Date": CRAWL_DATE,
                    "WARC-Record-ID": f"<urn:uuid:{record_id}>",
                },
            )
            writer.write_record(record)
    return out


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
