--[[ <!-- keepiton-wikibot: installed by pwb install_templates; edit the copy in the bot's repository -->
Dev wiki stand-in for English (and Arabic) Wikipedia's Module:Citation/CS1, as heavy as the real
one: the same shape of output (<cite class="citation web cs1">, the quoted title, the website in
italics, "Retrieved" and its date, the COinS span repeating title, site and URL percent-encoded,
the page's name as referrer) and about the same size and Lua time a call. It lets the dev wiki
measure pages against the parser's limits as Wikipedia would. Never installed on a real wiki.
]]
local p = {}

local WORDS = {
	en = { retrieved = "Retrieved", months = { "January", "February", "March", "April", "May", "June",
		"July", "August", "September", "October", "November", "December" } },
	ar = { retrieved = "اطلع عليه بتاريخ", months = { "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
		"يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر" } },
}
-- Arabic parameter names beside the English ones, as Arabic Wikipedia's module accepts them.
local ALIASES = { url = "مسار", title = "عنوان", website = "موقع", ["access-date"] = "تاريخ الوصول", date = "تاريخ",
	publisher = "ناشر", language = "لغة" }

-- Deterministic work standing for the real module's validation (the whitelist of parameter
-- names, dates, URLs, identifiers): about as many Lua instructions a call as CS1 spends.
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

local function date(value, words)
	local y, m, d = string.match(value or "", "^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
	if not y then
		return value
	end
	return string.format('<span class="nowrap">%d %s</span> %s', tonumber(d), words.months[tonumber(m)], y)
end

function p.citation(frame)
	local raw = frame:getParent().args
	local function arg(name)
		local value = raw[name] or raw[ALIASES[name] or ""] or ""
		return mw.text.trim(value)
	end
	local words = WORDS[mw.language.getContentLanguage():getCode()] or WORDS.en
	local url, title, site = arg("url"), arg("title"), arg("website")
	if site == "" then
		site = arg("publisher")
	end
	if title == "" then
		title = url
	end
	weigh(url .. title .. site, 120)
	local page = mw.title.getCurrentTitle().prefixedText
	local ref = "CITEREF" .. string.gsub(site ~= "" and site or title, "[^%w]", "")
	local out = { '<cite id="', ref, '" class="citation web cs1">[', url, ' "', title, '"]' }
	if site ~= "" then
		table.insert(out, ". ''" .. site .. "''")
	end
	if arg("date") ~= "" then
		table.insert(out, ". " .. date(arg("date"), words))
	end
	if arg("access-date") ~= "" then
		table.insert(out, '<span class="reference-accessdate">. ' .. words.retrieved .. " "
			.. date(arg("access-date"), words) .. "</span>")
	end
	table.insert(out, '.</cite><span title="ctx_ver=Z39.88-2004&rft_val_fmt=info%3Aofi%2Ffmt%3Akev%3Amtx%3Abook'
		.. '&rft.genre=unknown&rft.btitle=' .. encode(title) .. '&rft.pub=' .. encode(site)
		.. '&rft_id=' .. encode(url) .. '&rfr_id=info%3Asid%2Fwikipedia.org%3A' .. encode(page)
		.. '" class="Z3988"></span><span class="cs1-maint citation-comment"></span>')
	return table.concat(out)
end

return p
