"""The web page: type a finding, get the judgement; search the standards.

One self-contained page (no external scripts or fonts: it must work on a
closed network and on a phone), calling the same API as other systems.
"""

HOME = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>重大事故隐患判定</title>
<style>
 body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f6f8;color:#1d2129}
 main{max-width:820px;margin:0 auto;padding:16px}
 h1{font-size:1.3rem;margin:8px 0 12px}
 textarea,input,select,button{font:inherit;box-sizing:border-box}
 textarea{width:100%;min-height:84px;padding:8px;border:1px solid #c9cdd4;border-radius:6px}
 .row{display:flex;gap:8px;flex-wrap:wrap;margin:8px 0}
 .row input,.row select{flex:1;min-width:120px;padding:6px;border:1px solid #c9cdd4;border-radius:6px}
 button{padding:8px 18px;border:0;border-radius:6px;background:#165dff;color:#fff;cursor:pointer}
 .card{background:#fff;border-radius:8px;padding:12px 14px;margin:12px 0;box-shadow:0 1px 2px rgba(0,0,0,.06)}
 .lv{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600}
 .major{background:#d92d20}.general{background:#e38a00}.none{background:#2e9b4b}.undetermined{background:#86909c}
 .clause{background:#f7f8fa;border-left:3px solid #165dff;padding:6px 10px;margin:6px 0;white-space:pre-wrap}
 .muted{color:#6b7785;font-size:.9rem} li{margin:3px 0}
 .err{color:#d92d20}
</style></head><body><main>
<h1>重大事故隐患判定</h1>
<div class="card">
 <label for="text">检查发现的问题</label>
 <textarea id="text" placeholder="例如：焊工没证在车间焊钢架"></textarea>
 <div class="row">
  <input id="industry" placeholder="行业（可不填），如 机械">
  <input id="as_of" type="date" title="判定日期（默认今天）">
  <button id="go">判定</button>
 </div>
</div>
<div id="out"></div>
<div class="card">
 <div class="row"><input id="q" placeholder="检索条款，如 安全出口"><button id="s">检索</button></div>
 <div id="hits"></div>
</div>
<p class="muted">API 文档：<a href="/docs">/docs</a></p>
</main>
<script>
const $=id=>document.getElementById(id);
const esc=s=>String(s??"").replace(/[&<>"]/g,c=>({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"}[c]));
async function call(url,opt){const r=await fetch(url,opt);const j=await r.json();if(!r.ok)throw new Error(j.error?j.error.message:r.status);return j;}
$("go").onclick=async()=>{
 const body={text:$("text").value};
 if($("industry").value.trim())body.industry=$("industry").value.trim();
 if($("as_of").value)body.as_of=$("as_of").value;
 $("out").innerHTML='<div class="card muted">判定中…</div>';
 try{const j=await call("/v1/classify",{method:"POST",headers:{"Content-Type":"application/json"},body:JSON.stringify(body)});
  let h=`<div class="card"><span class="lv ${j.level}">${esc(j.level_label)}</span> <span class="muted">判定日期 ${esc(j.context.as_of)}${j.context.industry?"，行业 "+esc(j.context.industry):""}</span>`;
  for(const n of j.notes)h+=`<p class="muted">注意：${esc(n)}</p>`;
  const met=j.matches.filter(m=>m.status==="met");
  if(met.length){const m=met[0];
   h+=`<p><b>依据：</b>《${esc(m.standard.title)}》（${esc(m.standard.doc_number)}）${esc(m.clause_label)}</p><div class="clause">${esc((m.lead_in||"")+"\\n"+m.clause_text)}</div>`;
   h+=`<p class="muted">判定理由：${m.satisfied.map(s=>esc(s.condition)+" ← “"+esc(s.evidence)+"”").join("；")}</p>`;
   if(m.legal_basis.length)h+="<p><b>法律依据：</b></p><ul>"+m.legal_basis.map(l=>`<li>${esc(l.title+l.label)}：${esc(l.text)}</li>`).join("")+"</ul>";}
  const other=j.matches.filter(m=>m.status!=="met");
  if(other.length)h+="<p><b>相关条款（未全部满足）：</b></p><ul>"+other.map(m=>`<li>${esc(m.clause_label)} ${esc(m.clause_title)}</li>`).join("")+"</ul>";
  if(j.actions.length)h+="<p><b>处理建议：</b></p><ol>"+j.actions.map(a=>`<li>${esc(a)}</li>`).join("")+"</ol>";
  if(j.questions.length)h+="<p><b>需要补充了解：</b></p><ul>"+j.questions.map(q=>`<li>${esc(q)}</li>`).join("")+"</ul>";
  $("out").innerHTML=h+"</div>";
 }catch(e){$("out").innerHTML=`<div class="card err">${esc(e.message)}</div>`;}
};
$("s").onclick=async()=>{
 try{const j=await call("/v1/search?q="+encodeURIComponent($("q").value));
  $("hits").innerHTML=j.hits.length?"<ol>"+j.hits.map(h=>`<li><b>${esc(h.title)}</b><br>${esc(h.highlight).replace(/【/g,"<mark>").replace(/】/g,"</mark>")}</li>`).join("")+"</ol>":"<p class='muted'>没有找到相关条款。</p>";
 }catch(e){$("hits").innerHTML=`<p class="err">${esc(e.message)}</p>`;}
};
</script></body></html>
"""
