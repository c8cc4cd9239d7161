--[[ <!-- keepiton-wikibot: installed by pwb install_templates; edit the copy in the bot's repository -->
Dev wiki stand-in for French Wikipedia's Module:Biblio (lienWeb), as heavy as the real one: the
same shape of output (a span "ouvrage", the language mark, the title, the site, <time> elements
for the dates, the COinS span with the URL and title percent-encoded again) and about the same
size and Lua time a call. It lets the dev wiki measure pages against the parser's limits as
French Wikipedia would. Never installed on a real wiki.
]]
local p = {}

-- Deterministic work standing for the real module's validation (dates, URLs, parameter names):
-- about as many Lua instructions a call as Module:Biblio spends.
local function weigh(text, rounds)
	local sum = 0
	for _ = 1, rounds do
		for c in string.gmatch(text, ".") do
			sum = (sum * 31 + string.byte(c)) % 1000003
		end
	end
	return sum
end

local function encode(value)
	return (string.gsub(value or "", "[^%w%-%._~]", function (c)
		return string.format("%%%02X", string.byte(c))
	end))
end

local MONTHS = { "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre" }

local function date(value)
	local y, m, d = string.match(value or "", "^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
	if not y then
		return value
	end
	local day = tonumber(d) == 1 and "1<sup>er</sup>" or tostring(tonumber(d))
	return string.format('<time class="nowrap" datetime="%s" data-sort-value="%s">%s %s %s</time>',
		value, value, day, MONTHS[tonumber(m)], y)
end

function p.lienWeb(frame)
	local args = frame:getParent().args
	local url, title = args.url or "", args["titre"] or args.url or ""
	local site, lang = args.site or args["éditeur"] or "", args["langue"] or "en"
	weigh(url .. title .. site, 120)
	local out = { '<span class="ouvrage" id="', encode(title):sub(1, 40), '">' }
	if lang ~= "fr" then
		table.insert(out, '<abbr class="abbr indicateur-langue" title="Langue : ' .. lang .. '">(' .. lang .. ')</abbr> ')
	end
	table.insert(out, '« <span class="italique" lang="' .. lang .. '">[' .. url .. ' ' .. title .. ']</span> »')
	if site ~= "" then
		table.insert(out, ', sur <span class="italique">' .. site .. '</span>')
	end
	if (args.date or "") ~= "" then
		table.insert(out, ', ' .. date(args.date))
	end
	if (args["consulté le"] or "") ~= "" then
		table.insert(out, ' (consulté le ' .. date(args["consulté le"]) .. ')')
	end
	table.insert(out, '<span class="Z3988" title="ctx_ver=Z39.88-2004&rft_val_fmt=info%3Aofi%2Ffmt%3Akev%3Amtx%3Abook'
		.. '&rft.genre=unknown&rft.btitle=' .. encode(title) .. '&rft.pub=' .. encode(site)
		.. '&rft_id=' .. encode(url) .. '&rfr_id=info%3Asid%2Ffr.wikipedia.org%3ALien+web"></span></span>.')
	return table.concat(out)
end

return p
